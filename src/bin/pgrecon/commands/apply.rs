//! `pgrecon apply`: shows the plan, asks (or takes `--yes`), applies it,
//! then reads the database again and checks it matches. With `--plan FILE`
//! it applies exactly a saved, reviewed plan, and only to the database it
//! was computed from.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use miette::{miette, IntoDiagnostic, Result};
use pgrecon::config::Config;
use pgrecon::connect::Target;
use pgrecon::plan::file::{fingerprint, PlanFile};
use pgrecon::plan::Plan;
use tokio_postgres::Client;

use crate::apply_flags::ApplyFlags;
use crate::desired::DesiredArgs;
use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    desired: DesiredArgs,
    /// Apply this saved plan (from `plan --out FILE.json`) instead of planning afresh.
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
    #[command(flatten)]
    flags: ApplyFlags,
}

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    match &args.plan {
        Some(path) => apply_saved(&args, path, config).await,
        None => apply_fresh(&args, config).await,
    }
}

async fn apply_fresh(args: &Args, config: &Config) -> Result<ExitCode> {
    let lock = Some(args.flags.options().wait_for_other_apply);
    crate::planning::with_session_locked(
        &args.db,
        &args.desired,
        config,
        lock,
        async |client, live, session| {
            let options = args.desired.plan_options(config);
            let plan = crate::planning::plan_against(&client, live, session, options).await?;
            if !show_and_confirm(&plan, &args.flags).await? {
                return Ok(ExitCode::SUCCESS);
            }
            execute(&client, &args.db.target(config)?, &plan, &args.flags).await?;
            // Read again to verify, sharing what now equals the desired state.
            let desired = pgrecon::introspect::ReuseSlot::offering(&session.desired.catalog);
            let live = crate::planning::live_model(&client, None, Some(desired), config).await?;
            let remaining = crate::planning::plan_against(&client, live, session, options).await?;
            if !remaining.is_empty() {
                let left: Vec<String> = remaining.steps.iter().map(|s| s.summary.clone()).collect();
                return Err(miette!(
                    "applied, but the database still differs from the desired state: {}",
                    left.join("; ")
                ));
            }
            let verdict = match remaining.unmanaged_missing_note() {
                None => "The database now matches the desired state.\n".to_string(),
                Some(note) => format!("Applied, but {note}.\n"),
            };
            crate::output::write_stdout(&verdict)?;
            Ok(ExitCode::SUCCESS)
        },
    )
    .await
}

async fn apply_saved(args: &Args, path: &std::path::Path, config: &Config) -> Result<ExitCode> {
    if args.desired.online {
        return Err(miette!(
            "--online shapes the steps of a plan, and a saved plan's steps are fixed: pass --online to `pgrecon plan --out` instead"
        ));
    }
    let file = PlanFile::read(path).into_diagnostic()?;
    let changed = file.changed_step_files();
    if !changed.is_empty() {
        return Err(miette!(
            "refusing: the plan is stale: step file(s) changed since it was saved: {}",
            changed.join(", ")
        ));
    }
    let target = args.db.target(config)?;
    let client = target.connect().await.into_diagnostic()?;
    file.check_server(&client).await.map_err(|e| miette!(e))?;
    pgrecon::apply::hold_apply_lock(&client, args.flags.options().wait_for_other_apply)
        .await
        .into_diagnostic()?;
    let live = crate::planning::live_model(&client, None, None, config).await?;
    // An earlier apply of this plan may have stopped half-way: what it ran
    // is not run again.
    let records = pgrecon::plan::StepRecords::read(&client).await.into_diagnostic()?;
    let at_target = fingerprint(&live) == file.target_fingerprint && !file.plan.is_empty();
    let (plan, notes) = pgrecon::plan::resume_saved(&file.plan, &records, at_target);
    for note in &notes {
        pgrecon::say!("note: {note}");
    }
    if at_target {
        if plan.is_empty() {
            crate::output::write_stdout(
                "Nothing to do: the database already has the plan's target schema.\n",
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        crate::output::write_stdout(
            "The database has the plan's target schema, but after-steps of an apply of it that did not finish are left:\n",
        )?;
        if show_and_confirm(&plan, &args.flags).await? {
            execute(&client, &target, &plan, &args.flags).await?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    check_at(&live, &file.source_fingerprint, Some(&file.source_model), "the plan was made from")?;
    if !show_and_confirm(&plan, &args.flags).await? {
        return Ok(ExitCode::SUCCESS);
    }
    execute(&client, &target, &plan, &args.flags).await?;
    verify_at(&client, config, &file.target_fingerprint, None, "the plan leads to").await?;
    crate::output::write_stdout("The database now has the plan's target schema.\n")?;
    Ok(ExitCode::SUCCESS)
}

/// Refuses unless the database's schema (`live`) has `expected`
/// fingerprint; with a model of what it should be, says what changed.
pub fn check_at(
    live: &pgrecon::catalog::Catalog,
    expected: &str,
    model: Option<&pgrecon::catalog::Catalog>,
    what: &str,
) -> Result<()> {
    if fingerprint(live) == expected {
        return Ok(());
    }
    let detail = match model {
        Some(m) => format!(": changed since: {}", crate::planning::describe_changes(m, live).join("; ")),
        None => String::new(),
    };
    Err(miette!("refusing: the database does not have the schema {what} (fingerprint {expected}){detail}"))
}

/// After steps ran: the database must now have `expected` fingerprint, or,
/// given the model it should equal, read as that model once definitions
/// PostgreSQL spells differently when created again are seen through (a
/// reverse step recreates a CHECK from the text PostgreSQL printed, which
/// is not always printed back the same).
pub async fn verify_at(
    client: &Client,
    config: &Config,
    expected: &str,
    model: Option<&pgrecon::catalog::Catalog>,
    what: &str,
) -> Result<()> {
    let live = crate::planning::live_model(client, None, None, config).await?;
    if fingerprint(&live) == expected {
        return Ok(());
    }
    let detail = match model {
        Some(m) => {
            let left = pgrecon::plan::remaining_on(client, &live, m).await.into_diagnostic()?;
            if left.is_empty() {
                return Ok(());
            }
            let summaries: Vec<String> = left.steps.iter().map(|s| s.summary.clone()).collect();
            format!(": still to do: {}", summaries.join("; "))
        }
        None => String::new(),
    };
    Err(miette!("the steps ran and were committed, but the database does not have the schema {what} (fingerprint {expected}){detail}"))
}

/// Prints the plan; false when there is nothing to do. Asks unless `--yes`.
pub async fn show_and_confirm(plan: &Plan, flags: &ApplyFlags) -> Result<bool> {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    crate::output::write_stdout(&pgrecon::report::human(plan, color))?;
    if plan.is_empty() {
        return Ok(false);
    }
    let lossy: Vec<String> = plan.data_loss_steps().map(|s| s.summary.clone()).collect();
    if !lossy.is_empty() && !flags.allow_data_loss {
        return Err(pgrecon::apply::ApplyError::DataLoss(lossy)).into_diagnostic();
    }
    if !flags.yes && !confirm(plan.steps.len()).await? {
        return Err(miette!("not applied"));
    }
    Ok(true)
}

pub async fn execute(client: &Client, target: &Target, plan: &Plan, flags: &ApplyFlags) -> Result<()> {
    let options =
        pgrecon::apply::ApplyOptions { cancel_via: Some(target.clone()), progress: true, ..flags.options() };
    let report = pgrecon::apply::apply(client, plan, &options).await.into_diagnostic()?;
    let mut text = String::from("\nApplied:\n");
    for s in &report.steps {
        text.push_str(&format!("  {:>8.1} ms  {}\n", s.duration.as_secs_f64() * 1000.0, s.summary));
    }
    for r in &report.retries {
        text.push_str(&format!("  retry: {r}\n"));
    }
    text.push_str(&format!("{} step(s) in {} transaction(s).\n", report.steps.len(), report.segments));
    crate::output::write_stdout(&text)
}

/// Asks on the terminal; refuses outright when nobody can answer. The
/// answer is read off the runtime's thread, so an interrupt meanwhile is
/// handled (see `pgrecon::interrupt`).
async fn confirm(steps: usize) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(miette!(
            "refusing to apply without confirmation: standard input is not a terminal (pass --yes to apply unattended)"
        ));
    }
    {
        // Never a panic on a closed stderr (see `pgrecon::say!`).
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), "Apply these {steps} step(s)? [y/N] ");
    }
    std::io::stderr().flush().into_diagnostic()?;
    let read = tokio::task::spawn_blocking(|| {
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map(|_| answer)
    });
    let answer = read.await.into_diagnostic()?.into_diagnostic()?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
