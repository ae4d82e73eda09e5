//! No output, error message or plan file ever contains a password, whatever
//! the command and however it ends.

use crate::support::*;

const SECRET: &str = "Sup3r-S3cret-Pw";

#[tokio::test]
async fn no_command_prints_the_password() {
    let db = TestDb::create("credentials").await;
    db.execute(&format!(
        "CREATE ROLE owner_role LOGIN SUPERUSER PASSWORD '{SECRET}'; CREATE TABLE t (id int PRIMARY KEY);"
    ))
    .await;
    let port = cluster().port();
    let url = format!("postgres://owner_role:{SECRET}@127.0.0.1:{port}/{}", db.name);
    let wrong_db = format!("postgres://owner_role:{SECRET}@127.0.0.1:{port}/no_such_database");
    let dir = cluster().dir().join("credentials");
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("schema.sql");
    std::fs::write(&schema, "CREATE TABLE t (id int PRIMARY KEY, note text);").unwrap();
    let schema = schema.to_str().unwrap();
    let plan_file = dir.join("plan.json");
    let plan_path = plan_file.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["plan", "--db", &url, "--schema", schema],
        vec!["plan", "--db", &url, "--schema", schema, "--format", "json"],
        vec!["plan", "--db", &url, "--schema", schema, "--format", "markdown"],
        vec!["plan", "--db", &url, "--schema", schema, "--out", plan_path],
        vec!["drift", "--db", &url, "--schema", schema, "--format", "markdown"],
        vec!["validate", "--db", &url, "--schema", schema],
        vec!["dump", "--db", &url],
        vec!["apply", "--db", &url, "--plan", plan_path, "--yes"],
        vec!["rollback", "--db", &url, "--plan", plan_path, "--yes"],
        vec!["plan", "--db", &wrong_db, "--schema", schema],
        vec!["dump", "--db", &wrong_db],
        vec!["apply", "--db", &url, "--schema", "/no/such/path", "--yes"],
    ];
    for args in runs {
        let out = pgrecon(&args);
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(text);
            assert!(!text.contains(SECRET), "password in {stream} of {:?}:\n{text}", &args[..1]);
        }
    }
    let saved = std::fs::read_to_string(&plan_file).unwrap();
    assert!(!saved.contains(SECRET), "password in the saved plan");
}

/// `plan` and `drift` need only catalog access on the target (plus a
/// server for the scratch database); without CREATEDB and no --dev-url the
/// error names what is missing.
#[tokio::test]
async fn plan_and_drift_work_with_a_read_only_role() {
    let db = TestDb::create("least_privilege").await;
    db.execute(
        "CREATE TABLE t (id int PRIMARY KEY); CREATE ROLE reader LOGIN PASSWORD 'reader-pw' NOCREATEDB;",
    )
    .await;
    let url = format!("postgres://reader:reader-pw@127.0.0.1:{}/{}", cluster().port(), db.name);
    let dir = cluster().dir().join("least-privilege");
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("schema.sql");
    std::fs::write(&schema, "CREATE TABLE t (id int PRIMARY KEY, note text);").unwrap();
    let schema = schema.to_str().unwrap();
    let dev = cluster().url("postgres");

    let plan = pgrecon(&["plan", "--db", &url, "--schema", schema, "--dev-url", &dev]);
    assert_eq!(plan.status.code(), Some(2), "{}", String::from_utf8_lossy(&plan.stderr));
    let drift = pgrecon(&["drift", "--db", &url, "--schema", schema, "--dev-url", &dev]);
    assert_eq!(drift.status.code(), Some(2), "{}", String::from_utf8_lossy(&drift.stderr));

    // Without a cached model of these files the role needs a scratch
    // database (with one, it needs none: see drift::a_cached_model_...).
    let refused = pgrecon(&["plan", "--db", &url, "--schema", schema, "--no-cache"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("cannot create a scratch database")
            && stderr.contains("permission denied to create database"),
        "{stderr}"
    );
}

/// Names that need quoting go through plan → apply → drift → dump → drift
/// unharmed, and nothing but the planned statements runs.
#[tokio::test]
async fn hostile_names_survive_plan_apply_dump_and_drift() {
    let db = TestDb::create("hostile_apply").await;
    let dir = cluster().dir().join("hostile-apply");
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("schema.sql");
    std::fs::write(&schema, crate::dump::HOSTILE_NAMES).unwrap();
    let schema = schema.to_str().unwrap();
    let applied = pgrecon(&["apply", "--db", &db.url, "--schema", schema, "--yes"]);
    assert!(
        applied.status.success(),
        "{}{}",
        String::from_utf8_lossy(&applied.stdout),
        String::from_utf8_lossy(&applied.stderr)
    );
    assert_eq!(pgrecon(&["drift", "--db", &db.url, "--schema", schema]).status.code(), Some(0));

    let fresh = TestDb::create("hostile_fresh").await;
    fresh.execute(crate::dump::HOSTILE_NAMES).await;
    assert_same_text(&fresh.normalized_schema(), &db.normalized_schema(), "applied vs fresh");

    let dumped = dir.join("dump.sql");
    assert!(pgrecon(&["dump", "--db", &db.url, "--out", dumped.to_str().unwrap()]).status.success());
    assert_eq!(
        pgrecon(&["drift", "--db", &db.url, "--schema", dumped.to_str().unwrap()]).status.code(),
        Some(0)
    );
    // The injection attempt in a default stayed a string.
    let tables: i64 = db
        .client()
        .await
        .query_one("SELECT count(*) FROM pg_tables WHERE tablename = 'y'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}

/// A libpq service file supplies the connection, wherever it is found
/// (`PGSERVICEFILE`, `~/.pg_service.conf`, `PGSYSCONFDIR`) and however the
/// service is named (`PGSERVICE`, `service=` in a `key=value` string or a
/// URL); explicit parameters override it; its password is never printed.
#[tokio::test]
async fn service_files_supply_the_connection_and_keep_the_password() {
    let db = TestDb::create("service").await;
    db.execute(&format!(
        "CREATE ROLE service_user LOGIN CREATEDB PASSWORD '{SECRET}'; CREATE TABLE t (id int PRIMARY KEY);"
    ))
    .await;
    let dir = cluster().dir().join("service-file");
    std::fs::create_dir_all(dir.join("home")).unwrap();
    let section = format!(
        "# pgrecon test\n[recon]\nhost=127.0.0.1\nport={}\nuser=service_user\npassword={SECRET}\ndbname={}\nsslmode=disable\n",
        cluster().port(),
        db.name
    );
    let file = dir.join("services.conf");
    std::fs::write(&file, format!("[other]\nhost=nowhere.invalid\n\n{section}")).unwrap();
    std::fs::write(dir.join("home/.pg_service.conf"), &section).unwrap();
    std::fs::write(dir.join("pg_service.conf"), &section).unwrap();
    let schema = dir.join("schema.sql");
    std::fs::write(&schema, "CREATE TABLE t (id int PRIMARY KEY, note text);").unwrap();
    let schema = schema.to_str().unwrap();
    let (file, home, sysconf) =
        (file.to_str().unwrap(), dir.join("home").display().to_string(), dir.display().to_string());
    let nowhere = dir.join("no-such-file").display().to_string();

    // psql reads the same file the same way: the format is libpq's.
    let psql = std::process::Command::new(cluster().bindir().join("psql"))
        .args(["-X", "-At", "-d", "service=recon", "-c", "SELECT current_user"])
        .env("PGSERVICEFILE", file)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&psql.stdout).trim(), "service_user");

    let by_env = [("PGSERVICEFILE", file), ("PGSERVICE", "recon")];
    let file_only = [("PGSERVICEFILE", file)];
    let in_home = [("HOME", home.as_str()), ("PGSERVICE", "recon")];
    let system = [("HOME", nowhere.as_str()), ("PGSYSCONFDIR", sysconf.as_str()), ("PGSERVICE", "recon")];
    let check = |args: &[&str], env: &[(&str, &str)], code: i32, expected: &str| {
        let out = pgrecon_with_env(args, env);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(code), "{args:?} with {env:?}:\n{stdout}\n{stderr}");
        assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in {stderr}");
        assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET), "password printed by {args:?}");
    };
    check(&["plan", "--schema", schema], &by_env, 2, "");
    check(&["drift", "--schema", schema], &by_env, 2, "");
    check(&["drift", "--schema", schema, "--format", "json"], &in_home, 2, "");
    check(&["plan", "--schema", schema, "--format", "sql"], &system, 2, "");
    check(&["dump"], &by_env, 0, "");
    check(&["plan", "--db", "service=recon", "--schema", schema], &file_only, 2, "");
    check(&["plan", "--db", "postgres:///?service=recon", "--schema", schema], &file_only, 2, "");
    // Explicit parameters win over the service's.
    check(&["dump", "--db", "service=recon dbname=no_such_database"], &file_only, 1, "no_such_database");
    check(&["dump", "--db", "service=missing"], &file_only, 1, "definition of service \"missing\" not found");
}
