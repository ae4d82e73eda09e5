//! The `pgrecon` command: parses arguments, runs one command, renders errors
//! and picks the exit code. All the work happens in the library.

mod apply_flags;
mod commands;
mod desired;
mod output;
mod planning;
mod target;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// The model is hundreds of thousands of small strings at 10,000 tables,
/// built, copied and freed once per run: mimalloc does that markedly
/// faster than glibc's allocator, and returns memory between phases.
/// Its v2 line: v3 (the crate's default) kept about 10 MB more resident
/// at the peak of a 10,000-table plan.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Declarative schema-state reconciler for PostgreSQL.
#[derive(Parser)]
#[command(name = "pgrecon", version, about)]
struct Cli {
    /// Project configuration (default: ./schema.yaml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show what would change to make the database match the desired state
    /// (exit 0: in sync, 2: changes, 1: error).
    Plan(commands::plan::Args),
    /// Apply the plan, then verify the database matches the desired state.
    Apply(commands::apply::Args),
    /// Report how the database differs from the desired state
    /// (exit 0: no drift, 2: drift, 1: error).
    Drift(commands::drift::Args),
    /// Run a saved plan's reverse steps (undo an `apply --plan`).
    Rollback(commands::rollback::Args),
    /// Write the database's schema as SQL (or as the catalog model in JSON).
    Dump(commands::dump::Args),
    /// Load the desired state into a scratch database and report problems.
    Validate(commands::validate::Args),
    /// Run a command against a throwaway PostgreSQL cluster (DATABASE_URL set).
    Sandbox(commands::sandbox::Args),
}

/// mimalloc's `purge_delay` option (`mi_option_t` in its v2 mimalloc.h;
/// the numbering is v2's: check it if Cargo.toml's `v2` feature goes).
const MI_OPTION_PURGE_DELAY: i32 = 15;

/// By default mimalloc keeps freed memory for a while and lets the kernel
/// back its arenas with transparent huge pages, which are then kept whole
/// while only part of them is in use: fast for servers, but a plan's
/// phases each free most of what they allocated, and at 10,000 tables that
/// kept some 25 MB more resident at the peak (240 -> 215 MB). So freed
/// pages go back at once, and this process (and the PostgreSQL servers it
/// starts, which PostgreSQL's documentation advises anyway) uses no
/// transparent huge pages. `MIMALLOC_PURGE_DELAY` (or its old name
/// `MIMALLOC_RESET_DELAY`) still wins.
fn tune_allocator() {
    let named = |v: &str| std::env::var_os(v).is_some();
    if !named("MIMALLOC_PURGE_DELAY") && !named("MIMALLOC_RESET_DELAY") {
        // SAFETY: a plain setter of mimalloc's option table.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    // SAFETY: sets a flag of this process; fails harmlessly on kernels
    // without it.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let result = runtime.block_on(async {
        pgrecon::interrupt::install();
        pgrecon::interrupt::run(run(cli)).await
    });
    let Some(result) = result else {
        // Interrupted: the work was dropped and its cleanups ran. Exits at
        // once: dropping the runtime would wait for a blocking read (the
        // confirmation prompt) to end.
        std::process::exit(130);
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            render_error(&report);
            ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> miette::Result<ExitCode> {
    let config = pgrecon::config::load(cli.config.as_deref())?.config;
    match cli.command {
        Command::Plan(args) => commands::plan::run(args, &config).await,
        Command::Apply(args) => commands::apply::run(args, &config).await,
        Command::Drift(args) => commands::drift::run(args, &config).await,
        Command::Rollback(args) => commands::rollback::run(args, &config).await,
        Command::Dump(args) => commands::dump::run(args, &config).await,
        Command::Validate(args) => commands::validate::run(args, &config).await,
        Command::Sandbox(args) => commands::sandbox::run(args).await,
    }
}

/// Errors that point into a file are drawn by miette with the source around
/// them; every other error is one line, causes joined with ": ", so it reads
/// well in a CI log.
fn render_error(report: &miette::Report) {
    if report.source_code().is_some() || report.labels().is_some() {
        pgrecon::say!("{report:?}");
        return;
    }
    let mut line = report.to_string();
    for cause in report.chain().skip(1) {
        let cause = cause.to_string();
        if !line.contains(&cause) {
            line = format!("{line}: {cause}");
        }
    }
    if let Some(help) = report.help() {
        line = format!("{line} (help: {help})");
    }
    pgrecon::say!("error: {}", line.replace('\n', " "));
}
