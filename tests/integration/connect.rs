//! Connection failures give one line, exit code 1, no panic and never the
//! password.

use crate::support::*;

fn assert_one_line_failure(out: &std::process::Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(expected), "expected {expected:?} in {stderr}");
    assert!(!stderr.contains("s3cret"), "password leaked: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn unreachable_database() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://someone:s3cret@127.0.0.1:{port}/db");
    let out = pgrecon(&["dump", "--db", &url]);
    assert_one_line_failure(&out, &format!("cannot connect to someone@127.0.0.1:{port}/db"));
}

#[tokio::test]
async fn wrong_password() {
    let db = TestDb::create("password").await;
    db.execute("CREATE ROLE app_user LOGIN PASSWORD 'right-one'").await;
    let url = format!("postgres://app_user:s3cret@127.0.0.1:{}/{}", cluster().port(), db.name);
    let out = pgrecon(&["dump", "--db", &url]);
    assert_one_line_failure(&out, "password authentication failed for user \"app_user\"");

    let right = format!("postgres://app_user:right-one@127.0.0.1:{}/{}", cluster().port(), db.name);
    assert!(pgrecon(&["dump", "--db", &right]).status.success());
}

#[tokio::test]
async fn password_from_pgpassword_and_pgpass() {
    let db = TestDb::create("pgpass").await;
    db.execute("CREATE ROLE pass_user LOGIN PASSWORD 'from:file'").await;
    let url = format!("postgres://pass_user@127.0.0.1:{}/{}", cluster().port(), db.name);
    let out = pgrecon_with_env(&["dump", "--db", &url], &[("PGPASSWORD", "from:file")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let pgpass = std::env::temp_dir().join(format!("pgrecon-pgpass-{}", std::process::id()));
    std::fs::write(&pgpass, format!("127.0.0.1:{}:*:pass_user:from\\:file\n", cluster().port())).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = pgrecon_with_env(&["dump", "--db", &url], &[("PGPASSFILE", pgpass.to_str().unwrap())]);
    let _ = std::fs::remove_file(&pgpass);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn url_that_does_not_parse() {
    let out = pgrecon(&["dump", "--db", "postgres://u:s3cret@host:notaport/db"]);
    assert_one_line_failure(&out, "the database URL does not parse");
    let out = pgrecon(&["dump", "--db", "postgres://u:s3cret@host/db?sslmode=sometimes"]);
    assert_one_line_failure(&out, "invalid sslmode \"sometimes\"");
}

#[test]
fn no_database_given() {
    let out = pgrecon(&["dump"]);
    assert_one_line_failure(&out, "no database given: pass --db URL or set DATABASE_URL");
}

/// The optional helper connection is opened only when the server keeps
/// enough free connections besides: never one of the last.
#[tokio::test]
async fn a_helper_connection_is_never_one_of_the_last_free_ones() {
    let db = TestDb::create("helper_spare").await;
    let target = pgrecon::connect::Target::parse(&cluster().url(&db.name)).unwrap();
    let max: i64 = db
        .client()
        .await
        .query_one("SHOW max_connections", &[])
        .await
        .unwrap()
        .get::<_, String>(0)
        .parse()
        .unwrap();
    assert!(target.helper_leaving(1).await.is_some(), "a server with room gives a helper");
    assert!(target.helper_leaving(max).await.is_none(), "the helper itself is one connection fewer");
    assert!(target.helper().await.is_some(), "the test cluster has {max} connections, room for a helper");
}

/// A server (or proxy) that accepts the connection and never answers does
/// not hold pgrecon forever: the handshake is bounded by the connect
/// timeout too.
#[test]
fn a_server_that_never_answers_is_an_error_not_a_hang() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream); // accepted, never answered
        }
    });
    let url = format!("postgres://nobody@127.0.0.1:{port}/db?connect_timeout=1&sslmode=disable");
    let started = std::time::Instant::now();
    let out = crate::support::pgrecon(&["dump", "--db", &url]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no answer from the server within 3s"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
