//! `pgrecon dump`: the live schema as SQL that recreates it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use miette::{IntoDiagnostic, Result, WrapErr};
use pgrecon::config::Config;

use crate::target::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Write to this file instead of standard output (a directory with --split).
    #[arg(long)]
    out: Option<PathBuf>,
    /// One file per table and view, plus files for types, functions,
    /// sequences, schemas and extensions: a layout to keep in git.
    #[arg(long, requires = "out")]
    split: bool,
    /// `sql`: statements that recreate the schema; `yaml`: the YAML form of
    /// the desired state; `json`: the catalog model.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Sql,
    Json,
    /// The YAML form of the desired state.
    Yaml,
}

pub async fn run(args: Args, config: &Config) -> Result<ExitCode> {
    let target = args.db.target(config)?;
    let client = target.connect().await.into_diagnostic()?;
    let helper = target.helper().await;
    let (mut catalog, _) =
        pgrecon::introspect::introspect_with(&client, helper.as_ref(), None).await.into_diagnostic()?;
    config.ignore.apply(&mut catalog);
    crate::output::warn_unmanaged(&catalog.unmanaged, "left out");
    crate::output::warn_left_out_uses(&catalog.uses_unmanaged);
    if args.split {
        let dir = args.out.as_ref().expect("clap requires --out with --split");
        for (name, text) in pgrecon::dump::render_split(&catalog).into_diagnostic()? {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("files sit in the directory")).into_diagnostic()?;
            std::fs::write(&path, text)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", path.display()))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = match args.format {
        Format::Sql => pgrecon::dump::render(&catalog).into_diagnostic()?,
        Format::Json => serde_json::to_string_pretty(&catalog).into_diagnostic()? + "\n",
        Format::Yaml => pgrecon::dump::render_yaml(&catalog).into_diagnostic()?,
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write {}", path.display()))?,
        None => crate::output::write_stdout(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
