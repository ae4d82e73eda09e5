//! The desired-state arguments shared by `validate`, `plan`, `apply` and
//! `drift`: `--schema PATH...` and where to elaborate them.

use std::path::PathBuf;

use clap::Args;
use miette::{IntoDiagnostic, Result};
use pgrecon::connect::Target;
use pgrecon::elaborate::{DesiredState, ScratchServer};

#[derive(Args, Clone)]
pub struct DesiredArgs {
    /// Desired-state files or directories (read recursively): *.sql, *.yaml, *.yml.
    #[arg(long = "schema", value_name = "PATH", required = true)]
    pub schema: Vec<PathBuf>,
    /// Server for the scratch database the desired state is elaborated in
    /// (default: the target database's server, or a throwaway local cluster
    /// when there is no target).
    #[arg(long = "dev-url", value_name = "URL")]
    pub dev_url: Option<String>,
}

impl DesiredArgs {
    pub fn scratch_server(&self, target: Option<&Target>) -> Result<ScratchServer> {
        Ok(match (&self.dev_url, target) {
            (Some(url), _) => ScratchServer::Server(Target::parse(url).into_diagnostic()?),
            (None, Some(t)) => ScratchServer::Server(t.clone()),
            (None, None) => ScratchServer::LocalCluster,
        })
    }

    /// Loads and elaborates the desired state, printing warnings.
    pub async fn elaborate(&self, target: Option<&Target>) -> Result<DesiredState> {
        let sources = pgrecon::load::load(&self.schema)?;
        for warning in &sources.warnings {
            eprintln!("warning: {warning}");
        }
        let server = self.scratch_server(target)?;
        Ok(pgrecon::elaborate::elaborate(sources, &server).await?)
    }
}
