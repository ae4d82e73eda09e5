//! The scratch database PostgreSQL elaborates the desired state in: a
//! temporary database on the target server (same version, same extensions
//! available), on `--dev-url`'s server, or on a throwaway local cluster when
//! there is no server at all. It is always dropped: on success, on error and
//! on an interrupt (see [`crate::interrupt`]).

use tokio_postgres::Client;

use crate::cluster::ScratchCluster;
use crate::connect::{describe, Target};

use super::ElaborateError;

/// Where to create the scratch database.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // built once per run
pub enum ScratchServer {
    /// The server of this database (the target, or `--dev-url`).
    Server(Target),
    /// A throwaway cluster started for this run.
    LocalCluster,
}

pub struct ScratchDatabase {
    pub name: String,
    /// Connected to the scratch database.
    pub client: Client,
    /// Where the scratch database is, for more connections to it.
    target: Target,
    /// Connected to the server's original database, to drop the scratch one.
    admin: Client,
    /// Kept alive while the scratch database is in use.
    _cluster: Option<ScratchCluster>,
    /// Drops the database if the run is interrupted (a throwaway cluster's
    /// watchdog removes the cluster whole).
    _on_interrupt: Option<crate::interrupt::Registered>,
}

/// Drops the scratch database `name` on interrupt. A `CREATE DATABASE`
/// whose client went away still runs to its end, so that is waited for
/// first (within the interrupt's time limit).
fn drop_on_interrupt(server: &Target, name: &str) -> crate::interrupt::Registered {
    let (server, name) = (server.clone(), name.to_string());
    crate::interrupt::on_interrupt(move || async move {
        let Ok(admin) = server.connect().await else { return };
        let creating = format!("CREATE DATABASE {}%", crate::quote::ident(&name));
        let running = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity \
                       WHERE state = 'active' AND query LIKE $1 AND pid <> pg_catalog.pg_backend_pid())";
        while let Ok(row) = admin.query_one(running, &[&creating]).await {
            if !row.get::<_, bool>(0) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = admin.batch_execute(&drop_database(&name)).await;
    })
}

fn drop_database(name: &str) -> String {
    format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", crate::quote::ident(name))
}

/// Recognizable in `pg_database`, unique per run.
fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("pgrecon_scratch_{}_{nanos:08x}", std::process::id())
}

impl ScratchDatabase {
    pub async fn create(server: &ScratchServer) -> Result<ScratchDatabase, ElaborateError> {
        let (target, cluster) = match server {
            ScratchServer::Server(t) => (t.clone(), None),
            ScratchServer::LocalCluster => {
                let cluster = tokio::task::spawn_blocking(ScratchCluster::start)
                    .await
                    .expect("cluster start does not panic")?;
                let target = Target::parse(&cluster.url("postgres"))?;
                (target, Some(cluster))
            }
        };
        let admin = target.connect().await?;
        let name = scratch_name();
        let quoted = crate::quote::ident(&name);
        // Registered before it exists: an interrupt may come while it is
        // being created.
        let on_interrupt = cluster.is_none().then(|| drop_on_interrupt(&target, &name));
        admin
            // template0: what a DBA added to template1 is not in the desired
            // files, and would be planned into the target.
            .batch_execute(&format!("CREATE DATABASE {quoted} TEMPLATE template0"))
            .await
            .map_err(|e| ElaborateError::CreateScratch { server: target.redacted(), reason: describe(&e) })?;
        let scratch_target = target.with_dbname(&name);
        let connected = scratch_target.connect().await;
        let client = match connected {
            Ok(c) => c,
            Err(e) => {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {quoted}")).await;
                return Err(e.into());
            }
        };
        Ok(ScratchDatabase {
            name,
            client,
            target: scratch_target,
            admin,
            _cluster: cluster,
            _on_interrupt: on_interrupt,
        })
    }

    /// A second connection to the scratch database, for reading its
    /// catalog on two connections; `None` if the server refuses one.
    pub async fn helper(&self) -> Option<Client> {
        self.target.helper().await
    }

    /// Drops the database; `WITH (FORCE)` ends any session still in it.
    pub async fn remove(self) {
        let ScratchDatabase { name, client, admin, _cluster, .. } = self;
        drop(client);
        if let Err(e) = admin.batch_execute(&drop_database(&name)).await {
            crate::say!("warning: could not drop scratch database {name}: {}", describe(&e));
        }
    }
}
