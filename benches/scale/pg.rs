//! The benchmark's PostgreSQL: one throwaway cluster (removed with the
//! process, however it ends), databases made and dropped on it, and the
//! floor measured with PostgreSQL's own tools from the same installation.

use std::path::{Path, PathBuf};
use std::process::Command;

use pgrecon::cluster::ScratchCluster;
use pgrecon::quote::ident;
use tokio::runtime::Runtime;
use tokio_postgres::Client;

use crate::run::{self, Measured};

pub struct Server {
    cluster: ScratchCluster,
    /// Connected to `postgres`, for creating and dropping databases.
    admin: Client,
}

impl Server {
    pub fn start(rt: &Runtime) -> Server {
        let cluster = ScratchCluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
        let admin = connect_url(rt, &cluster.url("postgres"));
        Server { cluster, admin }
    }

    pub fn url(&self, db: &str) -> String {
        self.cluster.url(db)
    }

    pub fn connect(&self, rt: &Runtime, db: &str) -> Client {
        connect_url(rt, &self.url(db))
    }

    pub fn version(&self, rt: &Runtime) -> String {
        let row = rt.block_on(self.admin.query_one("SHOW server_version", &[])).expect("server version");
        row.get(0)
    }

    /// An empty database `db`, dropping any previous one.
    pub fn recreate(&self, rt: &Runtime, db: &str) {
        self.drop_database(rt, db);
        self.execute(rt, &format!("CREATE DATABASE {}", ident(db)));
    }

    /// A copy of `from` (which must have no sessions) named `db`.
    pub fn copy(&self, rt: &Runtime, from: &str, db: &str) {
        self.drop_database(rt, db);
        self.execute(rt, &format!("CREATE DATABASE {} TEMPLATE {}", ident(db), ident(from)));
    }

    pub fn drop_database(&self, rt: &Runtime, db: &str) {
        self.execute(rt, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", ident(db)));
    }

    fn execute(&self, rt: &Runtime, sql: &str) {
        rt.block_on(self.admin.batch_execute(sql)).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    fn tool(&self, name: &str) -> PathBuf {
        self.cluster.bindir().join(name)
    }

    /// Loads `files` into `db` the way a user would: psql, stopping at the
    /// first error, each statement committing on its own.
    pub fn psql_load(&self, db: &str, files: &[PathBuf], log: &Path) -> Measured {
        let mut psql = Command::new(self.tool("psql"));
        psql.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &self.url(db)]);
        for f in files {
            psql.arg("-f").arg(f);
        }
        run::expect(&mut psql, log, &[0])
    }

    pub fn pg_dump_schema(&self, db: &str, out: &Path, log: &Path) -> Measured {
        let mut dump = Command::new(self.tool("pg_dump"));
        dump.args(["--schema-only", "-d", &self.url(db), "-f"]).arg(out);
        run::expect(&mut dump, log, &[0])
    }
}

fn connect_url(rt: &Runtime, url: &str) -> Client {
    let target = pgrecon::connect::Target::parse(url).expect("a cluster URL parses");
    rt.block_on(target.connect()).unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"))
}
