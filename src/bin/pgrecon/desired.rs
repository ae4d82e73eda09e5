//! The desired-state arguments shared by `validate`, `plan`, `apply` and
//! `drift`: `--schema PATH...` and where to elaborate them.

use std::path::PathBuf;

use clap::Args;
use miette::{miette, IntoDiagnostic, Result};
use pgrecon::config::Config;
use pgrecon::connect::Target;
use pgrecon::elaborate::{DesiredState, ScratchServer, Session};

#[derive(Args, Clone)]
pub struct DesiredArgs {
    /// Desired-state files or directories (read recursively): *.sql, *.yaml,
    /// *.yml. Default: `schema` in schema.yaml.
    #[arg(long = "schema", value_name = "PATH")]
    pub schema: Vec<PathBuf>,
    /// Server for the scratch database the desired state is elaborated in
    /// (default: the target database's server, or a throwaway local cluster
    /// when there is no target).
    #[arg(long = "dev-url", value_name = "URL")]
    pub dev_url: Option<String>,
    /// Online DDL on existing tables: CREATE INDEX CONCURRENTLY, constraints
    /// added NOT VALID then validated, SET NOT NULL through a validated CHECK.
    #[arg(long)]
    pub online: bool,
    /// Elaborate the desired state afresh instead of reusing the model
    /// cached for the same files and server version (`.pgrecon/cache`, or
    /// $PGRECON_CACHE_DIR).
    #[arg(long)]
    pub no_cache: bool,
}

impl DesiredArgs {
    pub fn plan_options(&self, config: &Config) -> pgrecon::plan::PlanOptions {
        pgrecon::plan::PlanOptions { online: self.online || config.online }
    }

    fn paths(&self, config: &Config) -> Result<Vec<PathBuf>> {
        let paths = if self.schema.is_empty() { config.schema.clone() } else { self.schema.clone() };
        if paths.is_empty() {
            return Err(miette!("no desired state given: pass --schema PATH or set `schema` in schema.yaml"));
        }
        Ok(paths)
    }

    fn scratch_server(&self, config: &Config, target: Option<&Target>) -> Result<ScratchServer> {
        let dev_url = self.dev_url.as_ref().or(config.dev_url.as_ref());
        Ok(match (dev_url, target) {
            (Some(url), _) => ScratchServer::Server(Target::parse(url).into_diagnostic()?),
            (None, Some(t)) => ScratchServer::Server(t.clone()),
            (None, None) => ScratchServer::LocalCluster,
        })
    }

    /// Loads and elaborates the desired state, keeping the scratch database
    /// open; the caller closes the session.
    /// `reuse`: a live model offered while this runs, whose equal tables
    /// and indexes the desired model shares.
    pub async fn session(
        &self,
        config: &Config,
        target: Option<&Target>,
        reuse: &std::sync::Arc<pgrecon::introspect::ReuseSlot>,
    ) -> Result<Session> {
        let prepared = self.prepare(config, target, reuse).await?;
        self.session_of(prepared, config, reuse).await
    }

    /// Reads the desired files and splits them (on threads of their own, so
    /// work alongside keeps going), printing warnings, while the model
    /// cached for them is looked up and decoded: both are known before the
    /// live catalog is read, which then shares a cached model's objects
    /// from its start. An error in the files is reported first.
    pub async fn prepare(
        &self,
        config: &Config,
        target: Option<&Target>,
        reuse: &std::sync::Arc<pgrecon::introspect::ReuseSlot>,
    ) -> Result<Prepared> {
        let paths = self.paths(config)?;
        let server = self.scratch_server(config, target)?;
        let (read, digest) = {
            let paths = paths.clone();
            let read_and_hash = move || {
                let files = pgrecon::load::read(&paths)?;
                let digest = pgrecon::cache::ModelCache::digest(&files);
                Ok::<_, pgrecon::load::LoadError>((files, digest))
            };
            tokio::task::spawn_blocking(read_and_hash).await.into_diagnostic()??
        };
        let analysis = tokio::task::spawn_blocking(move || pgrecon::load::analyse(read, &paths));
        let lookup = async {
            if self.no_cache {
                return Ok(None);
            }
            let cache = pgrecon::cache::ModelCache::new(config.cache_dir());
            pgrecon::elaborate::look_up(digest, &server, &cache, reuse).await
        };
        let versions = async {
            match target {
                Some(target) => pgrecon::elaborate::check_major_versions(&server, target).await,
                None => Ok(()),
            }
        };
        let (sources, lookup, versions) = tokio::join!(analysis, lookup, versions);
        let sources = sources.into_diagnostic()??;
        versions?;
        for warning in &sources.warnings {
            pgrecon::say!("warning: {warning}");
        }
        Ok(Prepared { sources, lookup: lookup?, server })
    }

    /// [`Self::session`] from files already prepared.
    pub async fn session_of(
        &self,
        prepared: Prepared,
        config: &Config,
        reuse: &std::sync::Arc<pgrecon::introspect::ReuseSlot>,
    ) -> Result<Session> {
        let Prepared { sources, lookup, server } = prepared;
        let mut session = pgrecon::elaborate::session_from(lookup, sources, &server, reuse).await?;
        config.ignore.apply(&mut session.desired.catalog);
        Ok(session)
    }

    /// Loads and elaborates the desired state (ignore rules applied),
    /// printing warnings.
    pub async fn elaborate(&self, config: &Config, target: Option<&Target>) -> Result<DesiredState> {
        let sources = pgrecon::load::load(&self.paths(config)?)?;
        for warning in &sources.warnings {
            pgrecon::say!("warning: {warning}");
        }
        let server = self.scratch_server(config, target)?;
        let mut desired = pgrecon::elaborate::elaborate(sources, &server).await?;
        config.ignore.apply(&mut desired.catalog);
        Ok(desired)
    }
}

/// The desired files split and analysed, what the model cache holds for
/// them, and the server they are elaborated on otherwise.
pub struct Prepared {
    sources: pgrecon::load::SourceSet,
    lookup: Option<pgrecon::elaborate::CacheLookup>,
    server: ScratchServer,
}
