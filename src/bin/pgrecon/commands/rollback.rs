//! `pgrecon rollback --plan FILE`: runs a saved plan's reverse steps, only
//! on a database that has the plan's target schema, then checks it is back
//! at the plan's source schema.

use std::path::PathBuf;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result};
use pgrecon::config::Config;
use pgrecon::plan::file::{fingerprint, PlanFile};

use crate::apply_flags::ApplyFlags;
use crate::commands::apply::{check_at, execute, show_and_confirm, verify_at};
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The saved plan whose reverse to run.
    #[arg(long, value_name = "FILE")]
    plan: PathBuf,
    #[command(flatten)]
    flags: ApplyFlags,
}

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let file = PlanFile::read(&args.plan).into_diagnostic()?;
    let target = args.db.target(config)?;
    let client = target.connect().await.into_diagnostic()?;
    file.check_server(&client).await.map_err(|e| miette::miette!(e))?;
    pgrecon::apply::hold_apply_lock(&client, args.flags.options().wait_for_other_apply)
        .await
        .into_diagnostic()?;
    let live = crate::planning::live_model(&client, None, None, config).await?;
    if fingerprint(&live) == file.source_fingerprint && !file.reverse.is_empty() {
        crate::output::write_stdout("Nothing to do: the database already has the plan's source schema.\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    check_at(&live, &file.target_fingerprint, None, "the plan leads to")?;
    if !show_and_confirm(&file.reverse, &args.flags).await? {
        return Ok(ExitCode::SUCCESS);
    }
    execute(&client, &target, &file.reverse, &args.flags).await?;
    verify_at(&client, config, &file.source_fingerprint, Some(&file.source_model), "the plan was made from")
        .await?;
    crate::output::write_stdout("Rolled back: the database has the plan's source schema again.\n")?;
    let forgotten = pgrecon::plan::forget_once_steps(&client, &file.plan).await.into_diagnostic()?;
    if !forgotten.is_empty() {
        crate::output::write_stdout(&format!(
            "Once-only step(s) {} are no longer recorded as applied: applying the change again runs them again.\n",
            forgotten.join(", ")
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
