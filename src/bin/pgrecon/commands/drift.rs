//! `pgrecon drift`: did someone change the database by hand? Exit 0 no
//! drift, 2 drift found, 1 error (an unreachable database is an error,
//! never "no drift").

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use miette::{IntoDiagnostic, Result, WrapErr};
use pgrecon::config::Config;

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    desired: DesiredArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
}

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let database = args.db.target(config)?.redacted();
    let drift = crate::planning::with_session(&args.db, &args.desired, config, async |client, session| {
        let live = crate::planning::live_model(&client, config).await?;
        pgrecon::plan::drift_in_session(&live, session).await.into_diagnostic()
    })
    .await?;
    let text = match args.format {
        Format::Human => drift.human(),
        Format::Json => drift.json(),
        Format::Markdown => drift.markdown(&database),
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write {}", path.display()))?,
        None => crate::output::write_stdout(&text)?,
    }
    Ok(if drift.drift { ExitCode::from(crate::commands::plan::CHANGES) } else { ExitCode::SUCCESS })
}
