//! The `--db` argument shared by every command that talks to a database.

use clap::Args;
use miette::{IntoDiagnostic, Result};
use pgrecon::config::Config;
use pgrecon::connect::{ConnectError, Target};

#[derive(Args, Clone)]
pub struct DbArgs {
    /// Database URL (`postgres://user@host/db?sslmode=verify-full`) or libpq
    /// `key=value` string. Default: $DATABASE_URL (or the variable named by
    /// `database_url_env` in schema.yaml); unset parts come from the service
    /// file (`service=NAME` or PGSERVICE), PGHOST, PGUSER, PGPASSWORD,
    /// .pgpass, ... as with psql.
    #[arg(long = "db", value_name = "URL")]
    pub db: Option<String>,
}

impl DbArgs {
    /// The connection string from the flag, the configured variable or
    /// DATABASE_URL; `Some("")` when only PG* variables say where to go.
    fn conninfo(&self, config: &Config) -> Option<String> {
        if let Some(url) = &self.db {
            return Some(url.clone());
        }
        let env_var = config.database_url_env.as_deref().unwrap_or("DATABASE_URL");
        if let Ok(url) = std::env::var(env_var) {
            return Some(url);
        }
        has_libpq_env().then(String::new)
    }

    pub fn target(&self, config: &Config) -> Result<Target> {
        let conninfo = self.conninfo(config).ok_or(ConnectError::NoTarget).into_diagnostic()?;
        Target::parse(&conninfo).into_diagnostic()
    }

    /// The target when one is given; commands that can run without one
    /// (elaboration on a local cluster) use this.
    pub fn optional_target(&self, config: &Config) -> Result<Option<Target>> {
        match self.conninfo(config) {
            Some(conninfo) => Target::parse(&conninfo).into_diagnostic().map(Some),
            None => Ok(None),
        }
    }
}

fn has_libpq_env() -> bool {
    ["PGHOST", "PGDATABASE", "PGSERVICE"].iter().any(|v| std::env::var_os(v).is_some())
}
