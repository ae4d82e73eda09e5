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

/// A database of its own for one test.
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

    pub async fn execute(&self, sql: &str) {
        self.client()
            .await
            .batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("SQL failed in {}: {}", self.name, pgrecon::connect::describe(&e)));
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

/// The `.sql` files of a directory, in name order.
pub fn sql_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(project_path(dir))
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
