//! The `pgrecon` binary, measured as users run it.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Pgrecon {
    path: PathBuf,
    /// Whether `plan` takes `--no-cache` (the elaborated-model cache is
    /// newer than this benchmark; older binaries lack the flag).
    pub has_no_cache: bool,
}

impl Pgrecon {
    /// The binary cargo built with this benchmark's profile: release under
    /// `cargo bench`, debug under `cargo test`.
    pub fn find() -> Pgrecon {
        let path = PathBuf::from(env!("CARGO_BIN_EXE_pgrecon"));
        let help = Command::new(&path).args(["plan", "--help"]).output();
        let help = help.unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
        // Asked of --help rather than tried: clap rejects an unknown flag
        // with exit code 2, which `plan` also uses for "changes found".
        let has_no_cache = String::from_utf8_lossy(&help.stdout).contains("--no-cache");
        Pgrecon { path, has_no_cache }
    }

    /// `pgrecon <command> --db DB --schema DIR --dev-url DEV`, run in `dir`
    /// (so no schema.yaml of the repository applies) with its cache under
    /// `dir/cache`.
    pub fn command(&self, command: &str, db: &str, schema: &Path, dev_url: &str, dir: &Path) -> Command {
        let mut c = Command::new(&self.path);
        c.arg(command).args(["--db", db]).arg("--schema").arg(schema).args(["--dev-url", dev_url]);
        c.current_dir(dir).env("PGRECON_CACHE_DIR", cache_dir(dir));
        c
    }

    /// [`Pgrecon::command`] for `plan`, without the elaborated-model cache
    /// when the binary has one.
    pub fn plan_cold(&self, db: &str, schema: &Path, dev_url: &str, dir: &Path) -> Command {
        let mut c = self.command("plan", db, schema, dev_url, dir);
        if self.has_no_cache {
            c.arg("--no-cache");
        }
        c
    }
}

pub fn cache_dir(dir: &Path) -> PathBuf {
    dir.join("cache")
}

/// Whether the binary left anything in its cache directory: without a
/// cache, "warm" runs are as cold as the first.
pub fn cache_filled(dir: &Path) -> bool {
    std::fs::read_dir(cache_dir(dir)).is_ok_and(|mut entries| entries.next().is_some())
}
