//! `pgrecon sandbox -- CMD`: runs a command against a throwaway PostgreSQL
//! cluster (fresh, empty, removed afterwards), with `DATABASE_URL` set.
//! This is how `make demo` gets a database without touching a real one.

use std::process::ExitCode;

use miette::{IntoDiagnostic, Result, WrapErr};
use pgrecon::cluster::ScratchCluster;

#[derive(clap::Args)]
pub struct Args {
    /// The command to run, after `--`.
    #[arg(required = true, trailing_var_arg = true)]
    command: Vec<String>,
}

pub async fn run(args: Args) -> Result<ExitCode> {
    let mut cluster = ScratchCluster::start().into_diagnostic()?;
    let url = cluster.url("postgres");
    pgrecon::say!("sandbox: PostgreSQL running at {url} (removed when the command ends)");
    let status = tokio::process::Command::new(&args.command[0])
        .args(&args.command[1..])
        .env("DATABASE_URL", &url)
        .env("PGRECON_SANDBOX_BINDIR", cluster.bindir())
        .status()
        .await
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot run {}", args.command[0]))?;
    cluster.stop();
    Ok(ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8))
}
