//! `pgrecon validate`: loads the desired state into a scratch database and
//! reports what it declares, or exactly where it is wrong.

use std::process::ExitCode;

use miette::Result;
use pgrecon::config::Config;

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    desired: DesiredArgs,
    #[command(flatten)]
    db: DbArgs,
    /// Print the elaborated catalog model as JSON instead of a summary.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let target = args.db.optional_target(config)?;
    let desired = args.desired.elaborate(config, target.as_ref()).await?;
    let c = &desired.catalog;
    if args.json {
        let json = serde_json::to_string_pretty(c).expect("the model serializes");
        crate::output::write_stdout(&(json + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "desired state OK: {} statements from {} files: {} tables, {} views, {} indexes, {} functions, {} triggers, {} types, {} sequences",
        desired.sources.statements.len(),
        desired.sources.files.len(),
        c.tables.len(),
        c.views.len(),
        c.indexes.len(),
        c.functions.len(),
        c.triggers.len(),
        c.enums.len() + c.domains.len() + c.composites.len() + c.ranges.len(),
        c.sequences.len(),
    );
    crate::output::warn_unmanaged(&c.unmanaged, "left out");
    Ok(ExitCode::SUCCESS)
}
