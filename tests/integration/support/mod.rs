//! The test harness: one throwaway cluster per test binary, a fresh database
//! per test, helpers to load SQL, run the binary and compare schemas.

mod normalize;

pub use normalize::{normalized_schema, schema_dump};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use pgrecon::catalog::Catalog;
use pgrecon::cluster::ScratchCluster;
use pgrecon::connect::Target;

/// The cluster shared by every test of this binary. Its watchdog removes it
/// when the test process exits, whether the tests passed or not.
pub fn cluster() -> &'static ScratchCluster {
    static CLUSTER: OnceLock<ScratchCluster> = OnceLock::new();
    CLUSTER.get_or_init(|| ScratchCluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}")))
}

/// A database of its own for one test, dropped when the value is: about a
/// thousand databases of 7 MB each were made per run, more than a CI disk
/// can be assumed to hold.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn create(label: &str) -> TestDb {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("t_{label}_{n}");
        let admin = client_for(&cluster().url("postgres")).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {}", pgrecon::quote::ident(&name)))
            .await
            .expect("create database");
        let url = cluster().url(&name);
        TestDb { name, url }
    }

    pub async fn client(&self) -> tokio_postgres::Client {
        client_for(&self.url).await
    }

    /// The first column of `sql`'s rows, as text.
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        let rows = self.client().await.query(sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.iter().map(|r| r.get(0)).collect()
    }

    pub async fn execute(&self, sql: &str) {
        self.client()
            .await
            .batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("SQL failed in {}: {}", self.name, pgrecon::connect::describe(&e)));
    }

    /// Loads the example schema (`schema/*.sql`) with psql.
    pub fn psql_example_schema(&self) {
        for f in sql_files("schema") {
            self.psql_file(&f);
        }
    }

    /// Loads a file the way a user would: with psql, stopping at the first error.
    pub fn psql_file(&self, file: &Path) {
        if let Err(e) = self.try_psql_file(file) {
            panic!("{e}");
        }
    }

    pub fn try_psql_file(&self, file: &Path) -> Result<(), String> {
        let out = Command::new(cluster().bindir().join("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &self.url, "-f"])
            .arg(file)
            .output()
            .expect("run psql");
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("psql -f {} failed: {}", file.display(), String::from_utf8_lossy(&out.stderr)))
        }
    }

    /// A fresh build of desired-state files: their statements in the order
    /// pgrecon's loader gives them (dependencies first), run with psql.
    pub fn build_fresh(&self, files: &[PathBuf]) -> Result<(), String> {
        let sources = pgrecon::load::load(files).map_err(|e| e.to_string())?;
        let mut text = String::from("SET check_function_bodies = off;\n");
        for s in &sources.statements {
            text.push_str(&s.text);
            text.push_str(";\n");
        }
        let file = tempfile_with(&text);
        let result = self.try_psql_file(&file);
        let _ = std::fs::remove_file(file);
        result
    }

    pub fn try_psql_text(&self, sql: &str) -> Result<(), String> {
        let file = tempfile_with(sql);
        let result = self.try_psql_file(&file);
        let _ = std::fs::remove_file(file);
        result
    }

    pub fn psql_text(&self, sql: &str) {
        let file = tempfile_with(sql);
        self.psql_file(&file);
        let _ = std::fs::remove_file(file);
    }

    pub async fn catalog(&self) -> Catalog {
        let mut client = self.client().await;
        pgrecon::introspect::introspect(&mut client).await.expect("introspect").0
    }

    /// `pg_dump --schema-only`, normalized (see [`normalized_schema`]).
    pub fn normalized_schema(&self) -> String {
        normalized_schema(&self.url)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        drop_database_later(std::mem::take(&mut self.name));
    }
}

/// Drops databases one after the other on a thread and connection of its
/// own, so no test waits for the checkpoint each drop makes. Connections a
/// test left open are ended (`WITH (FORCE)`).
fn drop_database_later(name: String) {
    use tokio::sync::mpsc;
    static DROPPER: OnceLock<mpsc::UnboundedSender<String>> = OnceLock::new();
    let sender = DROPPER.get_or_init(|| {
        let (sender, mut names) = mpsc::unbounded_channel::<String>();
        std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                let admin = client_for(&cluster().url("postgres")).await;
                while let Some(name) = names.recv().await {
                    let sql =
                        format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pgrecon::quote::ident(&name));
                    if let Err(e) = admin.batch_execute(&sql).await {
                        eprintln!("warning: could not drop test database {name}: {e}");
                    }
                }
            });
        });
        sender
    });
    let _ = sender.send(name);
}

pub async fn client_for(url: &str) -> tokio_postgres::Client {
    Target::parse(url).expect("test URL parses").connect().await.expect("connect to test cluster")
}

fn tempfile_with(text: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "pgrecon-test-{}-{}.sql",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(&path, text).expect("write temp file");
    path
}

/// Runs the `pgrecon` binary.
pub fn pgrecon(args: &[&str]) -> Output {
    pgrecon_with_env(args, &[])
}

pub fn pgrecon_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgrecon"));
    cmd.args(args).env_remove("DATABASE_URL").env("RUST_BACKTRACE", "0");
    // One model cache per test run, removed with the cluster: tests that
    // share desired files share entries, as runs on a developer's machine do.
    cmd.env("PGRECON_CACHE_DIR", cluster().dir().join("model-cache"));
    for var in ["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run pgrecon")
}

pub fn project_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A fixture (file or directory, relative to the project) as this test
/// cluster's server can load it. Parts that need a newer PostgreSQL are
/// marked, in SQL (`#` instead of `--` in YAML):
///
/// ```sql
/// -- [PostgreSQL 15+]
///     CONSTRAINT k UNIQUE NULLS NOT DISTINCT (a, b)
/// -- [older]
/// --     CONSTRAINT k UNIQUE (a, b)
/// -- [end]
/// ```
///
/// On a new enough server the fixture is used as it is (the `[older]`
/// lines are comments). On an older one (`PGRECON_PG_BINDIR`, `make
/// test-versions`) it is a copy in the cluster's directory with the marked
/// lines left out and the `[older]` ones uncommented, so the rest of the
/// fixture still runs there rather than the whole test being skipped.
pub fn fixture(relative: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let source = project_path(relative);
    let major = cluster().server_major();
    let mut files = Vec::new();
    collect_files(&source, &mut files);
    let filtered: Vec<(PathBuf, Option<String>)> = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).ok();
            let changed = text.and_then(|t| for_server(&t, major).filter(|n| *n != t));
            (f, changed)
        })
        .collect();
    if filtered.iter().all(|(_, changed)| changed.is_none()) {
        return source;
    }
    // A copy per call: tests running at the same time never share one.
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let root = cluster().dir().join(format!("fixture-{n}"));
    let copy = root.join(relative);
    for (f, changed) in filtered {
        let target = if f == source { copy.clone() } else { copy.join(f.strip_prefix(&source).unwrap()) };
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        match changed {
            Some(text) => std::fs::write(&target, text).unwrap(),
            None => {
                std::fs::copy(&f, &target).unwrap();
            }
        }
    }
    copy
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).expect("fixture directory") {
            collect_files(&e.unwrap().path(), out);
        }
    } else {
        out.push(path.to_path_buf());
    }
}

/// `text` with the parts marked for majors newer than `major` replaced by
/// their `[older]` alternatives (see [`fixture`]); `None` if a marker is
/// left open.
pub fn for_server(text: &str, major: u32) -> Option<String> {
    enum State {
        Plain,
        Newer { keep: bool, prefix: &'static str },
        Older { keep: bool, prefix: &'static str },
    }
    let mut state = State::Plain;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let marker = ["--", "#"].into_iter().find_map(|p| {
            let rest = trimmed.strip_prefix(p)?.trim();
            Some((p, rest.strip_prefix('[')?.strip_suffix(']')?))
        });
        state = match (state, marker) {
            (State::Plain, Some((prefix, m))) if m.starts_with("PostgreSQL ") && m.ends_with('+') => {
                let needs: u32 = m["PostgreSQL ".len()..m.len() - 1].parse().ok()?;
                out.push_str(line);
                State::Newer { keep: major >= needs, prefix }
            }
            (State::Newer { keep, prefix }, Some((_, "older"))) => {
                out.push_str(line);
                State::Older { keep, prefix }
            }
            (State::Newer { .. } | State::Older { .. }, Some((_, "end"))) => {
                out.push_str(line);
                State::Plain
            }
            (State::Plain, _) => {
                out.push_str(line);
                State::Plain
            }
            (State::Newer { keep, prefix }, _) => {
                if keep {
                    out.push_str(line);
                }
                State::Newer { keep, prefix }
            }
            (State::Older { keep, prefix }, _) => {
                match line.trim_start().strip_prefix(prefix) {
                    Some(rest) if !keep => {
                        let indent = &line[..line.len() - line.trim_start().len()];
                        out.push_str(indent);
                        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                    }
                    _ => out.push_str(line),
                }
                State::Older { keep, prefix }
            }
        };
    }
    matches!(state, State::Plain).then_some(out)
}

/// The `.sql` files of a fixture directory, in name order, as this
/// server can load them (see [`fixture`]).
pub fn sql_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(dir))
        .expect("fixture directory")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// Asserts two texts are equal, showing a unified diff when they are not.
#[track_caller]
pub fn assert_same_text(expected: &str, actual: &str, what: &str) {
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected, actual)
            .unified_diff()
            .context_radius(3)
            .header("expected", "actual")
            .to_string();
        panic!("{what} differ:\n{diff}");
    }
}

/// Asserts two models are equal, showing a diff of their JSON when not.
#[track_caller]
pub fn assert_same_model(expected: &Catalog, actual: &Catalog, what: &str) {
    if expected != actual {
        let a = serde_json::to_string_pretty(expected).unwrap();
        let b = serde_json::to_string_pretty(actual).unwrap();
        assert_same_text(&a, &b, what);
    }
}

#[test]
fn fixture_markers_give_each_major_its_lines() {
    let text =
        "CREATE TABLE t (\n    a int,\n    -- [PostgreSQL 15+]\n    UNIQUE NULLS NOT DISTINCT (a)\n    \
                -- [older]\n    -- UNIQUE (a)\n    -- [end]\n);\n# [PostgreSQL 14+]\nx: 1\n# [end]\n";
    let old = for_server(text, 13).unwrap();
    assert_eq!(
        old,
        "CREATE TABLE t (\n    a int,\n    -- [PostgreSQL 15+]\n    -- [older]\n    UNIQUE (a)\n    -- [end]\n);\n\
         # [PostgreSQL 14+]\n# [end]\n"
    );
    assert_eq!(for_server(text, 15).unwrap(), text);
    assert!(for_server("-- [PostgreSQL 15+]\nx\n", 13).is_none(), "an open marker is an error");
}
