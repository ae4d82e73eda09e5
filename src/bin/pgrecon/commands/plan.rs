//! `pgrecon plan`: what would change, as text, SQL or JSON. Exit 0 when the
//! database matches the desired state, 2 when the plan has steps, 1 on error.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use miette::{IntoDiagnostic, Result, WrapErr};
use pgrecon::config::Config;
use pgrecon::plan::Plan;

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
    /// Write the plan to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Sql,
    Json,
}

/// Exit code 2: the plan has steps (Terraform's -detailed-exitcode).
pub const CHANGES: u8 = 2;

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let plan = crate::planning::with_session(&args.db, &args.desired, config, async |client, session| {
        crate::planning::plan_against(&client, session, config).await
    })
    .await?;
    let color =
        args.out.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = render(&plan, args.format, color);
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write {}", path.display()))?,
        None => crate::output::write_stdout(&text)?,
    }
    Ok(if plan.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(CHANGES) })
}

pub fn render(plan: &Plan, format: Format, color: bool) -> String {
    match format {
        Format::Human => pgrecon::report::human(plan, color),
        Format::Sql => pgrecon::report::sql(plan),
        Format::Json => pgrecon::report::json(plan),
    }
}
