//! The `pgrecon` command: parses arguments, runs one command, renders errors
//! and picks the exit code. All the work happens in the library.

mod commands;
mod target;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Declarative schema-state reconciler for PostgreSQL.
#[derive(Parser)]
#[command(name = "pgrecon", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the database's schema as SQL (or as the catalog model in JSON).
    Dump(commands::dump::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(async {
        match cli.command {
            Command::Dump(args) => commands::dump::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(1)
        }
    }
}
