//! `pgrecon apply`: shows the plan, asks (or takes `--yes`), applies it,
//! then reads the database again and checks nothing is left to do.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use miette::{miette, IntoDiagnostic, Result};
use pgrecon::apply::ApplyOptions;
use pgrecon::config::Config;

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    desired: DesiredArgs,
    /// Apply without asking (required when standard input is not a terminal).
    #[arg(long)]
    yes: bool,
    /// Allow steps that drop data (tables, columns, enum values, narrowing types).
    #[arg(long)]
    allow_data_loss: bool,
}

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let options = ApplyOptions { allow_data_loss: args.allow_data_loss };
    crate::planning::with_session(&args.db, &args.desired, config, async |client, session| {
        let plan = crate::planning::plan_against(&client, session, config).await?;
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        crate::output::write_stdout(&pgrecon::report::human(&plan, color))?;
        if plan.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        if !args.yes && !confirm(plan.steps.len())? {
            return Err(miette!("not applied"));
        }
        let report = pgrecon::apply::apply(&client, &plan, &options).await.into_diagnostic()?;
        let mut text = String::from("\nApplied:\n");
        for s in &report.steps {
            text.push_str(&format!("  {:>8.1} ms  {}\n", s.duration.as_secs_f64() * 1000.0, s.summary));
        }
        crate::output::write_stdout(&text)?;
        let remaining = crate::planning::plan_against(&client, session, config).await?;
        if !remaining.is_empty() {
            let left: Vec<String> = remaining.steps.iter().map(|s| s.summary.clone()).collect();
            return Err(miette!(
                "applied, but the database still differs from the desired state: {}",
                left.join("; ")
            ));
        }
        crate::output::write_stdout(&format!(
            "Done: {} step(s) in {} transaction(s); the database now matches the desired state.\n",
            report.steps.len(),
            report.segments
        ))?;
        Ok(ExitCode::SUCCESS)
    })
    .await
}

/// Asks on the terminal; refuses outright when nobody can answer.
fn confirm(steps: usize) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(miette!(
            "refusing to apply without confirmation: standard input is not a terminal (pass --yes to apply unattended)"
        ));
    }
    eprint!("Apply these {steps} step(s)? [y/N] ");
    std::io::stderr().flush().into_diagnostic()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).into_diagnostic()?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
