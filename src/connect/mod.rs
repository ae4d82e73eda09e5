//! Connecting to PostgreSQL the way libpq users expect.
//!
//! tokio-postgres understands URLs and `key=value` strings but not all of
//! libpq: it rejects `sslmode=verify-ca`/`verify-full` and reads neither the
//! `PG*` environment variables, service files nor `.pgpass`. This module
//! fills those gaps, so a URL that works with `psql` works with pgrecon.
//!
//! Each parameter comes from the first of: the conninfo, the service
//! (`service=NAME` or `PGSERVICE`), the `PG*` variable, libpq's default;
//! a password last from `.pgpass`.
//!
//! Passwords never reach an error message or a log line: every description
//! of a target goes through [`Target::redacted`].

mod params;
mod pgpass;
mod service;
mod tls;

use std::path::PathBuf;
use std::time::Duration;

use tokio_postgres::config::{Host, SslMode as WireSslMode};
use tokio_postgres::{Client, Config};

pub use tls::SslMode;

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("the database URL does not parse: {0}")]
    InvalidUrl(String),
    #[error("no database given: pass --db URL or set DATABASE_URL")]
    NoTarget,
    #[error("cannot connect to {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("TLS set-up failed: {0}")]
    Tls(String),
    #[error("{0}")]
    Service(String),
}

/// Where to connect, with the libpq settings tokio-postgres lacks.
/// Free connections a helper connection must leave on the server.
pub const HELPER_SPARE: i64 = 10;

#[derive(Clone)]
pub struct Target {
    config: Config,
    ssl_mode: SslMode,
    root_cert: Option<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Target {
    /// Reads a URL or `key=value` string, then fills what it leaves open
    /// from the service file, the `PG*` environment variables and
    /// `.pgpass`, as libpq does.
    pub fn parse(conninfo: &str) -> Result<Target, ConnectError> {
        Self::parse_with_env(conninfo, &|k| std::env::var(k).ok())
    }

    pub fn parse_with_env(
        conninfo: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target, ConnectError> {
        let mut params = params::Params::parse(conninfo)?;
        if let Some(name) = params.take("service").or_else(|| env("PGSERVICE")) {
            for (key, value) in service::lookup(&name, env)? {
                params.set_default(&key, &value);
            }
        }
        let ssl_mode = match params.take("sslmode").or_else(|| env("PGSSLMODE")) {
            Some(mode) => mode.parse()?,
            None => SslMode::Prefer,
        };
        let root_cert = params.take("sslrootcert").or_else(|| env("PGSSLROOTCERT"));
        let mut config = params.config()?;
        apply_env_defaults(&mut config, env);
        if config.get_password().is_none() {
            fill_password(&mut config, env);
        }
        Ok(Target { config, ssl_mode, root_cert })
    }

    /// `user@host:port/dbname`, never with a password.
    pub fn redacted(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!(
            "{}@{}:{}/{}",
            self.config.get_user().unwrap_or(""),
            host,
            port,
            self.config.get_dbname().unwrap_or("")
        )
    }

    pub fn dbname(&self) -> Option<&str> {
        self.config.get_dbname()
    }

    /// The same server, another database (for scratch databases).
    pub fn with_dbname(&self, dbname: &str) -> Target {
        let mut t = self.clone();
        t.config.dbname(dbname);
        t
    }

    /// A second, optional connection (a catalog is read on two): `None`
    /// when the server refuses it, has not answered within two seconds or
    /// would be left with fewer than [`HELPER_SPARE`] free connections, and
    /// the work goes on with one connection. A helper saves a tenth of a
    /// large read; a connection the applications or pgrecon's own scratch
    /// database then cannot get costs far more.
    pub async fn helper(&self) -> Option<Client> {
        self.helper_leaving(HELPER_SPARE).await
    }

    /// [`Self::helper`], leaving at least `spare` connections free.
    pub async fn helper_leaving(&self, spare: i64) -> Option<Client> {
        const PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);
        let client = tokio::time::timeout(PATIENCE, self.connect()).await.ok()?.ok()?;
        // Connections ordinary roles may still open, this one counted.
        // `reserved_connections` is from PostgreSQL 16.
        let free = client
            .query_one(
                "SELECT pg_catalog.current_setting('max_connections')::int \
                   - pg_catalog.current_setting('superuser_reserved_connections')::int \
                   - COALESCE(pg_catalog.current_setting('reserved_connections', true), '0')::int \
                   - (SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend')",
                &[],
            )
            .await
            .ok()?
            .get::<_, i64>(0);
        (free >= spare).then_some(client)
    }

    pub async fn connect(&self) -> Result<Client, ConnectError> {
        let mut config = self.config.clone();
        config.ssl_mode(match self.ssl_mode {
            SslMode::Disable => WireSslMode::Disable,
            SslMode::Allow | SslMode::Prefer => WireSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => WireSslMode::Require,
        });
        let tls = tls::connector(self.ssl_mode, self.root_cert.as_deref())?;
        // `connect_timeout` bounds the TCP connect only: a server (or proxy)
        // that accepts and never answers would hold the handshake forever.
        let handshake = config.get_connect_timeout().copied().unwrap_or(Duration::from_secs(10)) * 3;
        let (client, connection) = tokio::time::timeout(handshake, config.connect(tls))
            .await
            .map_err(|_| ConnectError::Connect {
                target: self.redacted(),
                reason: format!("no answer from the server within {}s", handshake.as_secs()),
            })?
            .map_err(|e| ConnectError::Connect { target: self.redacted(), reason: describe(&e) })?;
        tokio::spawn(async move {
            // The connection ends when the client is dropped; errors after
            // that surface on the client's own calls.
            let _ = connection.await;
        });
        Ok(client)
    }
}

impl Target {
    /// Asks the server to cancel what `token`'s connection is running (as
    /// libpq's `PQcancel`), over a new connection made with this target's
    /// TLS settings.
    pub async fn cancel(&self, token: &tokio_postgres::CancelToken) -> Result<(), ConnectError> {
        let tls = tls::connector(self.ssl_mode, self.root_cert.as_deref())?;
        token
            .cancel_query(tls)
            .await
            .map_err(|e| ConnectError::Connect { target: self.redacted(), reason: describe(&e) })
    }
}

/// One line that says what went wrong, with the server's message when there
/// is one. tokio-postgres errors never contain the password.
pub fn describe(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text = format!("{text}: {s_text}");
        }
        source = s.source();
    }
    text
}

/// [`describe`] with the server's DETAIL and HINT: a failed step's
/// duplicate key, its blocking session or `max_locks_per_transaction`.
pub fn describe_in_full(e: &tokio_postgres::Error) -> String {
    let mut text = describe(e);
    if let Some(db) = e.as_db_error() {
        if let Some(detail) = db.detail() {
            text.push_str(&format!(" (detail: {detail})"));
        }
        if let Some(hint) = db.hint() {
            text.push_str(&format!(" (hint: {hint})"));
        }
    }
    text
}

fn apply_env_defaults(config: &mut Config, env: &dyn Fn(&str) -> Option<String>) {
    if config.get_hosts().is_empty() {
        let host = env("PGHOST").unwrap_or_else(default_host);
        for h in host.split(',') {
            config.host(h);
        }
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT").and_then(|p| p.parse().ok()) {
            config.port(port);
        }
    }
    if config.get_user().is_none() {
        let user = env("PGUSER").or_else(|| env("USER")).unwrap_or_else(|| "postgres".into());
        config.user(&user);
    }
    if config.get_dbname().is_none() {
        let db = env("PGDATABASE").unwrap_or_else(|| config.get_user().unwrap_or("").to_string());
        config.dbname(&db);
    }
    if config.get_application_name().is_none() {
        config.application_name("pgrecon");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
}

/// libpq's default: the Unix socket directory when it exists.
fn default_host() -> String {
    ["/var/run/postgresql", "/tmp"]
        .into_iter()
        .find(|d| PathBuf::from(d).join(".s.PGSQL.5432").exists())
        .unwrap_or("localhost")
        .to_string()
}

fn fill_password(config: &mut Config, env: &dyn Fn(&str) -> Option<String>) {
    if let Some(pw) = env("PGPASSWORD") {
        config.password(pw);
        return;
    }
    let file = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".pgpass")));
    let Some(file) = file else { return };
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(_)) | None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let query = pgpass::Query {
        host: &host,
        port: &port,
        dbname: config.get_dbname().unwrap_or(""),
        user: config.get_user().unwrap_or(""),
    };
    if let Some(pw) = pgpass::lookup(&file, &query) {
        config.password(pw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service file and an environment whose every value differs from it.
    fn setup(label: &str) -> (PathBuf, impl Fn(&str) -> Option<String>) {
        let file = std::env::temp_dir().join(format!("pgrecon-service-{label}-{}.conf", std::process::id()));
        std::fs::write(
            &file,
            "[app]\nhost=svc-host\nport=6000\nuser=svc-user\ndbname=svc-db\npassword=svc-pw\nsslmode=require\n",
        )
        .unwrap();
        let path = file.display().to_string();
        let env = move |k: &str| {
            Some(match k {
                "PGSERVICEFILE" => path.clone(),
                "PGHOST" => "env-host".into(),
                "PGPORT" => "7000".into(),
                "PGUSER" => "env-user".into(),
                "PGPASSWORD" => "env-pw".into(),
                "PGSSLMODE" => "disable".into(),
                _ => return None,
            })
        };
        (file, env)
    }

    #[test]
    fn the_service_overrides_the_environment_and_the_conninfo_overrides_the_service() {
        let (file, env) = setup("precedence");
        for conninfo in
            ["service=app dbname=mine", "postgres:///mine?service=app", "postgresql://@/mine?service=app"]
        {
            let t = Target::parse_with_env(conninfo, &env).unwrap();
            assert_eq!(t.redacted(), "svc-user@svc-host:6000/mine", "{conninfo}");
            assert_eq!(t.config.get_password(), Some(&b"svc-pw"[..]));
            assert_eq!(t.ssl_mode, SslMode::Require);
        }
        let explicit =
            Target::parse_with_env("postgres://me:pw@h:1/db?service=app&sslmode=disable", &env).unwrap();
        assert_eq!(explicit.redacted(), "me@h:1/db");
        assert_eq!(explicit.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(explicit.ssl_mode, SslMode::Disable);
        std::fs::remove_file(file).unwrap();
    }

    #[test]
    fn pgservice_names_the_service_when_the_conninfo_does_not() {
        let (file, env) = setup("pgservice");
        let with_service = |k: &str| if k == "PGSERVICE" { Some("app".to_string()) } else { env(k) };
        let t = Target::parse_with_env("", &with_service).unwrap();
        assert_eq!(t.redacted(), "svc-user@svc-host:6000/svc-db");
        let t = Target::parse_with_env("", &env).unwrap();
        assert_eq!(t.redacted(), "env-user@env-host:7000/env-user", "no service: the environment");
        let missing = Target::parse_with_env("service=nope", &env).unwrap_err().to_string();
        assert_eq!(missing, "definition of service \"nope\" not found");
        std::fs::remove_file(file).unwrap();
    }

    #[test]
    fn a_url_host_without_a_port_takes_the_port_from_the_environment() {
        let env = |k: &str| (k == "PGPORT").then(|| "7000".to_string());
        assert_eq!(Target::parse_with_env("postgres://u@h/db", &env).unwrap().redacted(), "u@h:7000/db");
    }
}
