//! `pgrecon plan`: what would change, as text, SQL or JSON (the saved-plan
//! format, with reverse steps and fingerprints). Exit 0 when the database
//! matches the desired state, 2 when the plan has steps, 1 on error.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use miette::{IntoDiagnostic, Result, WrapErr};
use pgrecon::config::Config;
use pgrecon::plan::file::PlanFile;

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    desired: DesiredArgs,
    /// human, sql, or json (the saved-plan format that `apply --plan` takes).
    /// Default: json when --out ends in .json, else human.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the plan to this file instead of standard output, e.g.
    /// plans/add-households.json to review and apply later.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Sql,
    Json,
}

/// Exit code 2: the plan has steps (Terraform's -detailed-exitcode).
pub const CHANGES: u8 = 2;

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let file = crate::planning::with_session(&args.db, &args.desired, config, async |client, session| {
        crate::planning::plan_file(&client, session, config, args.desired.plan_options(config)).await
    })
    .await?;
    let format = args.format.unwrap_or(match &args.out {
        Some(p) if p.extension().is_some_and(|e| e == "json") => Format::Json,
        _ => Format::Human,
    });
    let color =
        args.out.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = render(&file, format, color);
    match &args.out {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).into_diagnostic()?;
            }
            std::fs::write(path, text)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", path.display()))?;
            eprintln!("plan written to {} ({} step(s))", path.display(), file.plan.steps.len());
        }
        None => crate::output::write_stdout(&text)?,
    }
    Ok(if file.plan.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(CHANGES) })
}

pub fn render(file: &PlanFile, format: Format, color: bool) -> String {
    match format {
        Format::Human => pgrecon::report::human_with_reverse(&file.plan, &file.reverse, color),
        Format::Sql => pgrecon::report::sql(&file.plan),
        Format::Json => file.to_json(),
    }
}
