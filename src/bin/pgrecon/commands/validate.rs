//! `pgrecon validate`: loads the desired state into a scratch database and
//! reports what it declares, or exactly where it is wrong.

use std::process::ExitCode;

use miette::Result;

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    desired: DesiredArgs,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(args: Args) -> Result<ExitCode> {
    let target = args.db.optional_target()?;
    let desired = args.desired.elaborate(target.as_ref()).await?;
    let c = &desired.catalog;
    println!(
        "desired state OK: {} statements from {} files: {} tables, {} views, {} indexes, {} functions, {} triggers, {} types, {} sequences",
        desired.sources.statements.len(),
        desired.sources.files.len(),
        c.tables.len(),
        c.views.len(),
        c.indexes.len(),
        c.functions.len(),
        c.triggers.len(),
        c.enums.len() + c.domains.len() + c.composites.len(),
        c.sequences.len(),
    );
    crate::commands::dump::warn_unmanaged(c);
    Ok(ExitCode::SUCCESS)
}
