//! `pgrecon drift`: did someone change the database by hand? Exit 0 no
//! drift, 2 drift found, 1 error (an unreachable database is an error,
//! never "no drift").
//!
//! Several databases (`--db` repeated, or `--db-list`) are checked against
//! one elaboration of the desired state: their catalogs are read
//! concurrently (at most `--jobs` at a time), and the report has one line per
//! database. One unreachable database does not stop the others; it makes
//! the exit code 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::ValueEnum;
use futures_util::stream::{self, StreamExt};
use miette::{IntoDiagnostic, Result, WrapErr};
use pgrecon::catalog::Catalog;
use pgrecon::config::Config;
use pgrecon::connect::Target;
use pgrecon::introspect::ReuseSlot;
use pgrecon::report::drift::{DatabaseDrift, Fleet};

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Database URL (`postgres://user@host/db?sslmode=verify-full`) or libpq
    /// `key=value` string; repeat to check several databases. Default:
    /// $DATABASE_URL, then PGHOST, PGUSER, ... as with psql.
    #[arg(long = "db", value_name = "URL")]
    db: Vec<String>,
    /// A file of database URLs to check, one per line (blank lines and
    /// lines starting with `#` are skipped).
    #[arg(long = "db-list", value_name = "FILE")]
    db_list: Option<PathBuf>,
    /// How many databases to read at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    jobs: u16,
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
    let mut urls = args.db.clone();
    if let Some(list) = &args.db_list {
        urls.extend(read_list(list)?);
    }
    if urls.len() > 1 {
        return run_fleet(&args, &urls, config).await;
    }
    let db = DbArgs { db: urls.pop() };
    let database = db.target(config)?.redacted();
    let drift = crate::planning::with_session(&db, &args.desired, config, async |_, live, session| {
        pgrecon::plan::drift_in_session(&live, session).await.into_diagnostic()
    })
    .await?;
    let text = match args.format {
        Format::Human => drift.human(),
        Format::Json => drift.json(),
        Format::Markdown => drift.markdown(&database),
    };
    write_report(&args, &text)?;
    Ok(if drift.drift { ExitCode::from(crate::commands::plan::CHANGES) } else { ExitCode::SUCCESS })
}

fn read_list(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// A database's live model, or why it could not be read.
type LiveResult = std::result::Result<(Target, Catalog), String>;

async fn run_fleet(args: &Args, urls: &[String], config: &Config) -> Result<ExitCode> {
    let fleet = Arc::new(ReuseSlot::default());
    let lives: Vec<(String, LiveResult)> = stream::iter(urls)
        .map(|url| read_live(url, &fleet, config))
        .buffered(usize::from(args.jobs))
        .collect()
        .await;
    // Elaborated once, on the first server that answered (or --dev-url).
    let Some(server) = lives.iter().find_map(|(_, l)| l.as_ref().ok().map(|(t, _)| t.clone())) else {
        let fleet =
            Fleet::new(lives.into_iter().map(|(db, l)| DatabaseDrift::failed(db, l.unwrap_err())).collect());
        return report_fleet(args, &fleet);
    };
    let mut session = args.desired.session(config, Some(&server), &fleet).await?;
    let mut databases = Vec::new();
    for (database, live) in lives {
        databases.push(match live {
            Ok((_, live)) => match pgrecon::plan::drift_in_session(&live, &mut session).await {
                Ok(drift) => DatabaseDrift::checked(database, drift),
                Err(e) => DatabaseDrift::failed(database, e.to_string()),
            },
            Err(e) => DatabaseDrift::failed(database, e),
        });
    }
    session.close().await;
    report_fleet(args, &Fleet::new(databases))
}

/// Reads one database's model, sharing the objects equal to those of the
/// first model read (`fleet`): databases of one fleet are mostly alike,
/// and all their models are held until the desired state is elaborated.
async fn read_live(url: &str, fleet: &Arc<ReuseSlot>, config: &Config) -> (String, LiveResult) {
    let target = match Target::parse(url) {
        Ok(t) => t,
        // The URL itself may hold a password: never echo it.
        Err(e) => return ("(unparsable URL)".to_string(), Err(e.to_string())),
    };
    let database = target.redacted();
    let live = async {
        let client = target.connect().await.map_err(|e| e.to_string())?;
        let helper = target.helper().await;
        let live = crate::planning::live_model(&client, helper.as_ref(), Some(fleet.clone()), config)
            .await
            .map_err(|e| e.to_string())?;
        fleet.offer(&live);
        Ok((target.clone(), live))
    }
    .await;
    (database, live)
}

fn report_fleet(args: &Args, fleet: &Fleet) -> Result<ExitCode> {
    let text = match args.format {
        Format::Human => fleet.human(),
        Format::Json => fleet.json(),
        Format::Markdown => fleet.markdown(),
    };
    write_report(args, &text)?;
    Ok(if fleet.errors {
        ExitCode::FAILURE
    } else if fleet.drift {
        ExitCode::from(crate::commands::plan::CHANGES)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_report(args: &Args, text: &str) -> Result<()> {
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write {}", path.display())),
        None => crate::output::write_stdout(text),
    }
}
