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
    /// Plan from this desired state (e.g. the base branch's files) instead of
    /// from a live database: no --db and no production credentials needed.
    #[arg(long, value_name = "PATH", conflicts_with = "db")]
    from: Vec<PathBuf>,
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
    /// A pull-request comment.
    Markdown,
}

/// Exit code 2: the plan has steps (Terraform's -detailed-exitcode).
pub const CHANGES: u8 = 2;

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let mut file = if args.from.is_empty() {
        crate::planning::with_session(&args.db, &args.desired, config, async |client, live, session| {
            crate::planning::plan_file(&client, live, session, args.desired.plan_options(config)).await
        })
        .await?
    } else {
        plan_between_files(&args, config).await?
    };
    let format = args.format.unwrap_or(match &args.out {
        Some(p) if p.extension().is_some_and(|e| e == "json") => Format::Json,
        _ => Format::Human,
    });
    let color =
        args.out.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = render(&mut file, format, color);
    // SQL and JSON have no place for them, and a file is not what the
    // reviewer at the terminal reads: an annotation that renamed nothing
    // explains the drop and create that follow.
    if args.out.is_some() || matches!(format, Format::Sql | Format::Json) {
        for warning in &file.plan.warnings {
            pgrecon::say!("warning: {warning}");
        }
    }
    match &args.out {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).into_diagnostic()?;
            }
            std::fs::write(path, text)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", path.display()))?;
            pgrecon::say!("plan written to {} ({} step(s))", path.display(), file.plan.steps.len());
        }
        None => crate::output::write_stdout(&text)?,
    }
    Ok(if file.plan.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(CHANGES) })
}

/// `--from A --schema B`: both elaborated in scratch databases on one
/// server (`--dev-url`, or a throwaway local cluster), A standing in for the
/// live database.
async fn plan_between_files(args: &Args, config: &Config) -> Result<PlanFile> {
    let (_cluster, server) = match args.desired.dev_url.as_ref().or(config.dev_url.as_ref()) {
        Some(url) => (None, pgrecon::connect::Target::parse(url).into_diagnostic()?),
        None => {
            let cluster = tokio::task::spawn_blocking(pgrecon::cluster::ScratchCluster::start)
                .await
                .into_diagnostic()?
                .into_diagnostic()?;
            let target = pgrecon::connect::Target::parse(&cluster.url("postgres")).into_diagnostic()?;
            (Some(cluster), target)
        }
    };
    let from = DesiredArgs { schema: args.from.clone(), ..args.desired.clone() };
    let base_state = from.session(config, Some(&server), &Default::default()).await?.close().await;
    // Once-only steps the base branch has (unchanged) ran with it already.
    let base_steps: Vec<String> =
        base_state.sources.data_steps.iter().map(|d| format!("{}\u{0}{}", d.name, d.sha256)).collect();
    let mut base = base_state.catalog;
    config.ignore.apply(&mut base);
    let mut session = args.desired.session(config, Some(&server), &Default::default()).await?;
    let result = async {
        let options = args.desired.plan_options(config);
        let mut plan =
            pgrecon::plan::plan_in_session(&base, &mut session, options).await.into_diagnostic()?;
        let desired = &session.desired;
        let applied: Vec<String> = desired
            .sources
            .data_steps
            .iter()
            .filter(|d| base_steps.contains(&format!("{}\u{0}{}", d.name, d.sha256)))
            .map(|d| d.name.clone())
            .collect();
        let records = pgrecon::plan::StepRecords { applied, ..Default::default() };
        pgrecon::plan::insert_data_steps(&mut plan, &desired.sources, &records);
        let reverse = pgrecon::plan::reverse(&base, desired, &plan, options).into_diagnostic()?;
        Ok(PlanFile::new(&base, &desired.catalog, &desired.sources, plan, reverse))
    }
    .await;
    session.close().await;
    result
}

pub fn render(file: &mut PlanFile, format: Format, color: bool) -> String {
    match format {
        Format::Human => pgrecon::report::human_with_reverse(&file.plan, &file.reverse, color),
        Format::Sql => pgrecon::report::sql(&file.plan),
        Format::Json => file.to_json(),
        Format::Markdown => pgrecon::report::markdown(&file.plan, &file.reverse),
    }
}
