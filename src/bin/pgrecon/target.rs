//! The `--db` argument shared by every command that talks to a database.

use clap::Args;
use miette::{IntoDiagnostic, Result};
use pgrecon::connect::Target;

#[derive(Args, Clone)]
pub struct DbArgs {
    /// Database URL (`postgres://user@host/db?sslmode=verify-full`) or libpq
    /// `key=value` string. Unset parts come from PGHOST, PGUSER, PGPASSWORD,
    /// .pgpass, ... as with psql.
    #[arg(long = "db", env = "DATABASE_URL", hide_env_values = true)]
    pub db: Option<String>,
}

impl DbArgs {
    pub fn target(&self) -> Result<Target> {
        let conninfo = match &self.db {
            Some(url) => url.clone(),
            None if has_libpq_env() => String::new(),
            None => return Err(pgrecon::connect::ConnectError::NoTarget).into_diagnostic(),
        };
        Target::parse(&conninfo).into_diagnostic()
    }
}

impl DbArgs {
    /// The target when one is given; commands that can run without one
    /// (elaboration on a local cluster) use this.
    pub fn optional_target(&self) -> Result<Option<Target>> {
        if self.db.is_none() && !has_libpq_env() {
            return Ok(None);
        }
        self.target().map(Some)
    }
}

fn has_libpq_env() -> bool {
    ["PGHOST", "PGDATABASE", "PGSERVICE"]
        .iter()
        .any(|v| std::env::var_os(v).is_some())
}
