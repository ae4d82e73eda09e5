//! Throwaway PostgreSQL clusters: `initdb` into a temporary directory, start
//! on a free port with fsync off, remove everything afterwards.
//!
//! Used by the tests, by `make demo`, and wherever pgrecon needs a server of
//! its own (elaborating desired state with no database given).
//!
//! `initdb` refuses to run as root, and CI runs as root: then the server runs
//! as the `postgres` user, in a directory that user owns. A watchdog process
//! stops the server and removes the directory when the process that started
//! it exits, however it exits (a failed test, Ctrl-C, SIGKILL). A cluster
//! whose watchdog was killed as well is removed by the next start
//! ([`abandoned`]).

mod abandoned;

use std::ffi::CString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "no PostgreSQL server binaries found (looked at $PGRECON_PG_BINDIR, `pg_config --bindir` \
         and /usr/lib/postgresql/*/bin); install PostgreSQL, e.g. `apt-get install postgresql`"
    )]
    NoBinaries,
    #[error("running as root, but there is no `postgres` user to run the server as")]
    NoPostgresUser,
    #[error("{step} failed: {detail}")]
    Step { step: &'static str, detail: String },
}

fn step_error(step: &'static str) -> impl Fn(std::io::Error) -> ClusterError {
    move |e| ClusterError::Step { step, detail: e.to_string() }
}

pub struct ScratchCluster {
    root: PathBuf,
    bindir: PathBuf,
    port: u16,
    run_as: Option<String>,
    stopped: bool,
    /// Server settings (`name=value`) over the defaults below.
    settings: Vec<String>,
    /// Tells later starts that this cluster is in use.
    _owner: abandoned::OwnerLock,
}

impl ScratchCluster {
    /// Starts a new cluster; its `postgres` superuser needs no password.
    pub fn start() -> Result<ScratchCluster, ClusterError> {
        ScratchCluster::start_from(find_bindir()?)
    }

    /// [`ScratchCluster::start`] with the server binaries of `bindir`.
    pub fn start_from(bindir: PathBuf) -> Result<ScratchCluster, ClusterError> {
        ScratchCluster::start_with(bindir, &[])
    }

    /// [`ScratchCluster::start_from`] with server settings (`name=value`)
    /// over pgrecon's: a test of how pgrecon copes with a server
    /// configured otherwise (a small lock table, say).
    pub fn start_with(bindir: PathBuf, settings: &[&str]) -> Result<ScratchCluster, ClusterError> {
        let run_as = server_user()?;
        abandoned::remove_abandoned(&std::env::temp_dir());
        let root = make_root(run_as.as_deref())?;
        let _owner =
            abandoned::OwnerLock::take(&root).map_err(step_error("locking the cluster directory"))?;
        let settings = settings.iter().map(|s| s.to_string()).collect();
        let mut cluster = ScratchCluster { root, bindir, port: 0, run_as, stopped: false, settings, _owner };
        cluster.spawn_watchdog()?;
        cluster.initdb()?;
        cluster.start_server()?;
        Ok(cluster)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's own directory, removed with it.
    pub fn dir(&self) -> &Path {
        &self.root
    }

    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// The server's major version, from the data directory's `PG_VERSION`:
    /// tests of syntax a major lacks check it (`PGRECON_PG_BINDIR` runs the
    /// suite on other majors).
    pub fn server_major(&self) -> u32 {
        std::fs::read_to_string(self.data_dir().join("PG_VERSION"))
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .expect("initdb writes PG_VERSION")
    }

    /// A URL for database `dbname` on this cluster.
    pub fn url(&self, dbname: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{}?sslmode=disable", self.port, dbname)
    }

    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// A command run as the server's user.
    fn command(&self, program: &str) -> Command {
        let path = self.bindir.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn initdb(&self) -> Result<(), ClusterError> {
        let output = self
            .command("initdb")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-N"])
            .stdin(Stdio::null())
            .output()
            .map_err(step_error("initdb"))?;
        check_output("initdb", &output)?;
        self.write_hba()
    }

    /// `postgres` connects without a password; every other role must give
    /// one over TCP, so tests can exercise real authentication. Passwords
    /// are stored as SCRAM (the server option), which PostgreSQL 13 does
    /// not do by default: an MD5 hash cannot pass a `scram-sha-256` line.
    fn write_hba(&self) -> Result<(), ClusterError> {
        let hba = "local all all trust\n\
                   host all postgres 127.0.0.1/32 trust\n\
                   host all postgres ::1/128 trust\n\
                   host all all 127.0.0.1/32 scram-sha-256\n\
                   host all all ::1/128 scram-sha-256\n";
        std::fs::write(self.data_dir().join("pg_hba.conf"), hba).map_err(step_error("writing pg_hba.conf"))
    }

    /// The server reads literals the way pgrecon reads desired files
    /// (`load::SESSION_SETTINGS`) whatever the machine's time zone, so a
    /// file loaded with psql here means what it means to pgrecon.
    fn start_server(&mut self) -> Result<(), ClusterError> {
        let mut last = None;
        for _ in 0..5 {
            self.port = free_port().map_err(step_error("finding a free port"))?;
            let mut options = format!(
                "-F -p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200 \
                 -c max_locks_per_transaction=1024 -c synchronous_commit=off -c full_page_writes=off \
                 -c password_encryption=scram-sha-256 -c timezone=UTC -c datestyle=iso,mdy",
                self.port,
                self.root.display()
            );
            for setting in &self.settings {
                options.push_str(&format!(" -c {setting}"));
            }
            let output = self
                .command("pg_ctl")
                .arg("-D")
                .arg(self.data_dir())
                .arg("-l")
                .arg(self.root.join("server.log"))
                .args(["-w", "-t", "60", "-o", &options, "start"])
                .stdin(Stdio::null())
                .output()
                .map_err(step_error("pg_ctl start"))?;
            match check_output("pg_ctl start", &output) {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e), // most likely the port was taken meanwhile
            }
        }
        let log = std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default();
        Err(last.map_or(ClusterError::Step { step: "pg_ctl start", detail: log.clone() }, |e| match e {
            ClusterError::Step { step, detail } => {
                ClusterError::Step { step, detail: format!("{detail}\n{log}") }
            }
            other => other,
        }))
    }

    /// A detached shell that waits for this process to end, then stops the
    /// server and removes the directory. `stop()` does the same sooner.
    fn spawn_watchdog(&self) -> Result<(), ClusterError> {
        use std::os::unix::process::CommandExt;
        let script = r#"
            while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
            if [ -f "$2/data/postmaster.pid" ]; then
                kill -QUIT "$(head -n 1 "$2/data/postmaster.pid")" 2>/dev/null
                sleep 1
            fi
            rm -rf "$2"
        "#;
        Command::new("sh")
            .args(["-c", script, "pgrecon-watchdog"])
            .arg(std::process::id().to_string())
            .arg(&self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(step_error("starting the cluster watchdog"))?;
        Ok(())
    }

    /// Writes a private file (mode 0600) into the cluster's directory, owned
    /// by the server's user: for certificates and keys the server must read.
    pub fn write_private_file(&self, name: &str, contents: &[u8]) -> std::io::Result<PathBuf> {
        use std::os::unix::fs::PermissionsExt;
        let path = self.root.join(name);
        std::fs::write(&path, contents)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        if let Some((uid, gid)) = self.run_as.as_deref().and_then(user_ids) {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid))?;
        }
        Ok(path)
    }

    /// An empty directory in the cluster's, owned by the server's user: a
    /// place for a tablespace.
    pub fn make_server_dir(&self, name: &str) -> std::io::Result<PathBuf> {
        let path = self.root.join(name);
        std::fs::create_dir(&path)?;
        if let Some((uid, gid)) = self.run_as.as_deref().and_then(user_ids) {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid))?;
        }
        Ok(path)
    }

    /// Stops the server at once and removes its files.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "-w", "stop"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl Drop for ScratchCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn check_output(step: &'static str, output: &std::process::Output) -> Result<(), ClusterError> {
    if output.status.success() {
        return Ok(());
    }
    let detail =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Err(ClusterError::Step { step, detail: detail.trim().to_string() })
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Where `initdb`, `pg_ctl` and `postgres` live.
pub fn find_bindir() -> Result<PathBuf, ClusterError> {
    find_bindir_from(std::env::var_os("PGRECON_PG_BINDIR").map(PathBuf::from))
}

/// [`find_bindir`] with the `PGRECON_PG_BINDIR` override given explicitly.
pub fn find_bindir_from(explicit: Option<PathBuf>) -> Result<PathBuf, ClusterError> {
    let has_initdb = |p: &Path| p.join("initdb").is_file();
    if let Some(dir) = explicit {
        return if has_initdb(&dir) { Ok(dir) } else { Err(ClusterError::NoBinaries) };
    }
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(dir) = from_pg_config.filter(|d| has_initdb(d)) {
        return Ok(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| has_initdb(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or(ClusterError::NoBinaries)
}

/// `Some("postgres")` when running as root, since initdb refuses root.
fn server_user() -> Result<Option<String>, ClusterError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    if user_ids("postgres").is_none() {
        return Err(ClusterError::NoPostgresUser);
    }
    Ok(Some("postgres".to_string()))
}

fn user_ids(name: &str) -> Option<(u32, u32)> {
    let name = CString::new(name).ok()?;
    // SAFETY: getpwnam takes a NUL-terminated string; the result points to
    // static storage that we read at once and do not keep.
    unsafe {
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() {
            None
        } else {
            Some(((*pw).pw_uid, (*pw).pw_gid))
        }
    }
}

/// A fresh directory owned by the server's user.
fn make_root(run_as: Option<&str>) -> Result<PathBuf, ClusterError> {
    let stamp =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let root = std::env::temp_dir().join(format!("{}{}-{stamp}", abandoned::PREFIX, std::process::id()));
    std::fs::create_dir(&root).map_err(step_error("creating the cluster directory"))?;
    if let Some(user) = run_as {
        let (uid, gid) = user_ids(user).ok_or(ClusterError::NoPostgresUser)?;
        std::os::unix::fs::chown(&root, Some(uid), Some(gid))
            .map_err(step_error("giving the cluster directory to the postgres user"))?;
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bindir_without_initdb_is_a_clear_error() {
        let err = find_bindir_from(Some(PathBuf::from("/nonexistent"))).unwrap_err();
        assert!(err.to_string().contains("no PostgreSQL server binaries found"), "{err}");
    }
}
