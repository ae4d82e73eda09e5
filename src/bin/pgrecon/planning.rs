//! What `plan`, `apply` (and later `drift`) share: connect, elaborate the
//! desired state on the same server, introspect, plan, with the scratch
//! database open for comparisons and always dropped at the end.

use miette::{IntoDiagnostic, Result};
use pgrecon::catalog::Catalog;
use pgrecon::config::Config;
use pgrecon::elaborate::Session;
use pgrecon::plan::file::PlanFile;
use pgrecon::plan::{Plan, PlanOptions};
use tokio_postgres::Client;

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

/// Connects to the target, elaborates the desired state in a session and
/// runs `work` with both; the scratch database is dropped afterwards,
/// whatever `work` returns.
pub async fn with_session<T>(
    db: &DbArgs,
    desired: &DesiredArgs,
    config: &Config,
    work: impl AsyncFnOnce(Client, Catalog, &mut Session) -> Result<T>,
) -> Result<T> {
    with_session_locked(db, desired, config, None, work).await
}

/// [`with_session`], holding the apply lock (waiting at most `lock`) from
/// before the database is read until `work` is done.
pub async fn with_session_locked<T>(
    db: &DbArgs,
    desired: &DesiredArgs,
    config: &Config,
    lock: Option<std::time::Duration>,
    work: impl AsyncFnOnce(Client, Catalog, &mut Session) -> Result<T>,
) -> Result<T> {
    let target = db.target(config)?;
    let client = target.connect().await.into_diagnostic()?;
    if let Some(wait) = lock {
        pgrecon::apply::hold_apply_lock(&client, wait).await.into_diagnostic()?;
    }
    // The live catalog is read while the desired state is elaborated: one
    // waits on the scratch database, the other on the target. Not while
    // the files load: reading them and reading the catalog are the two
    // largest transient allocations of a plan, and overlapping them raised
    // its peak memory by about 10 MB at 10,000 tables, for a saving of
    // well under a second. An error in the desired files is reported first.
    // A cached desired model is decoded while the files are split, and
    // offered to the live read, which shares the tables, indexes and
    // identities that come out equal; without one, the live model is
    // offered to the desired state's read in a scratch database.
    let reuse = std::sync::Arc::new(pgrecon::introspect::ReuseSlot::default());
    let prepared = desired.prepare(config, Some(&target), &reuse).await?;
    let live_read = async {
        // A second connection, used only while the catalog is read.
        let helper = target.helper().await;
        let live = live_model(&client, helper.as_ref(), Some(reuse.clone()), config).await;
        if let Ok(live) = &live {
            reuse.offer(live);
        }
        live
    };
    let (live, session) = tokio::join!(live_read, desired.session_of(prepared, config, &reuse));
    // The offered objects are shared by the two models now, or not at all:
    // the slot's maps would only keep a dropped model's objects alive.
    drop(reuse);
    let mut session = session?;
    let result = match live {
        Ok(live) => {
            warn_unmanaged(&live, &session.desired.catalog);
            work(client, live, &mut session).await
        }
        Err(e) => Err(e),
    };
    session.close().await;
    result
}

/// What neither a plan nor an apply touches: objects of unmanaged kinds in
/// the desired files are not created (a step needing one fails, and this
/// says why beforehand), those in the database are left alone.
fn warn_unmanaged(live: &Catalog, desired: &Catalog) {
    crate::output::warn_unmanaged(desired.unmanaged_missing_from(live), "in the desired files, not applied");
    crate::output::warn_unmanaged(&live.unmanaged, "left alone");
}

/// Plans from the live model towards the session's desired state.
pub async fn plan_against(
    client: &Client,
    live: Catalog,
    session: &mut Session,
    options: PlanOptions,
) -> Result<Plan> {
    let mut plan = pgrecon::plan::plan_in_session(&live, session, options).await.into_diagnostic()?;
    // Data steps first: a `before` step may fix the rows a check asks about.
    pgrecon::plan::add_data_steps(client, &mut plan, &session.desired.sources).await.into_diagnostic()?;
    pgrecon::plan::check_data(client, &mut plan).await.into_diagnostic()?;
    Ok(plan)
}

/// The live model, ignore rules applied; read on two connections when
/// there is a `helper` (a second connection to the same database): the
/// server answers half the catalog queries on each. Shares the objects
/// that come out equal to those offered in `reuse`.
pub async fn live_model(
    client: &Client,
    helper: Option<&Client>,
    reuse: Option<std::sync::Arc<pgrecon::introspect::ReuseSlot>>,
    config: &Config,
) -> Result<Catalog> {
    let mut live = pgrecon::introspect::introspect_with(client, helper, reuse).await.into_diagnostic()?.0;
    config.ignore.apply(&mut live);
    Ok(live)
}

/// The plan with everything a saved plan holds: reverse steps,
/// fingerprints, file hashes.
pub async fn plan_file(
    client: &Client,
    live: Catalog,
    session: &mut Session,
    options: PlanOptions,
) -> Result<PlanFile> {
    let mut plan = pgrecon::plan::plan_in_session(&live, session, options).await.into_diagnostic()?;
    // Data steps first: a `before` step may fix the rows a check asks about.
    pgrecon::plan::add_data_steps(client, &mut plan, &session.desired.sources).await.into_diagnostic()?;
    pgrecon::plan::check_data(client, &mut plan).await.into_diagnostic()?;
    let desired = &session.desired;
    let mut reverse = pgrecon::plan::reverse(&live, desired, &plan, options).into_diagnostic()?;
    pgrecon::plan::keep_privileges(client, &mut reverse).await.into_diagnostic()?;
    let mut file = PlanFile::new(&live, &desired.catalog, &desired.sources, plan, reverse);
    file.server_major = Some(pgrecon::plan::file::server_major(client).await.into_diagnostic()?);
    Ok(file)
}

/// What turned `from` into `to`, one line per change, for refusals.
pub fn describe_changes(from: &Catalog, to: &Catalog) -> Vec<String> {
    let state =
        pgrecon::elaborate::DesiredState { catalog: to.clone(), sources: pgrecon::load::SourceSet::empty() };
    match pgrecon::plan::plan(from, &state) {
        Ok(p) => p.steps.iter().map(|s| s.summary.clone()).collect(),
        Err(e) => vec![e.to_string()],
    }
}
