//! What `plan`, `apply` (and later `drift`) share: connect, elaborate the
//! desired state on the same server, introspect, plan.

use miette::{IntoDiagnostic, Result};
use pgrecon::config::Config;
use pgrecon::elaborate::DesiredState;
use pgrecon::plan::Plan;
use tokio_postgres::Client;

use crate::desired::DesiredArgs;
use crate::target::DbArgs;

pub struct Planned {
    pub client: Client,
    pub desired: DesiredState,
    pub plan: Plan,
}

pub async fn plan(db: &DbArgs, desired: &DesiredArgs, config: &Config) -> Result<Planned> {
    let target = db.target(config)?;
    let client = target.connect().await.into_diagnostic()?;
    let desired = desired.elaborate(config, Some(&target)).await?;
    let plan = plan_against(&client, &desired, config).await?;
    Ok(Planned { client, desired, plan })
}

/// Introspects the live database and plans towards `desired`.
pub async fn plan_against(client: &Client, desired: &DesiredState, config: &Config) -> Result<Plan> {
    let mut live = pgrecon::introspect::introspect_client(client).await.into_diagnostic()?.0;
    config.ignore.apply(&mut live);
    pgrecon::plan::plan(&live, desired).into_diagnostic()
}
