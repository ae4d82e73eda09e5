//! What `plan`, `apply` (and later `drift`) share: connect, elaborate the
//! desired state on the same server, introspect, plan, with the scratch
//! database open for comparisons and always dropped at the end.

use miette::{IntoDiagnostic, Result};
use pgrecon::config::Config;
use pgrecon::elaborate::Session;
use pgrecon::plan::Plan;
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
    work: impl AsyncFnOnce(Client, &Session) -> Result<T>,
) -> Result<T> {
    let target = db.target(config)?;
    let client = target.connect().await.into_diagnostic()?;
    let session = desired.session(config, Some(&target)).await?;
    let result = work(client, &session).await;
    session.close().await;
    result
}

/// Introspects the live database and plans towards the session's desired state.
pub async fn plan_against(client: &Client, session: &Session, config: &Config) -> Result<Plan> {
    let mut live = pgrecon::introspect::introspect_client(client).await.into_diagnostic()?.0;
    config.ignore.apply(&mut live);
    pgrecon::plan::plan_in_session(&live, session).await.into_diagnostic()
}
