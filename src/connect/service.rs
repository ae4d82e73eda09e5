//! Connection service files (`pg_service.conf`) with libpq's rules.
//!
//! The service is named by `service=NAME` in the conninfo or by `PGSERVICE`.
//! It is looked up in the user's file (`PGSERVICEFILE`, else
//! `~/.pg_service.conf`) and, when not defined there, in the system-wide
//! `pg_service.conf` of `PGSYSCONFDIR`. The first file that defines it wins;
//! the two are never merged. A name defined nowhere is an error, as it is
//! for libpq, rather than a silent fall-back to other defaults.
//!
//! The format is INI: `[name]` starts a section, `key=value` lines set
//! parameters (no quoting, no spaces around `=`), `#` starts a comment.
//! Errors name the file and line, never a value: the section may hold a
//! password.

use std::path::{Path, PathBuf};

use super::ConnectError;

/// The system-wide directory when `PGSYSCONFDIR` is unset: where Debian's
/// and Ubuntu's libpq look (`pg_config --sysconfdir`).
const DEFAULT_SYSCONFDIR: &str = "/etc/postgresql-common";

/// The keywords a service may set: those pgrecon or tokio-postgres handle.
/// libpq knows more (client certificates, GSSAPI, …); a service using one
/// is refused rather than connected without it.
const KEYWORDS: [&str; 18] = [
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "options",
    "application_name",
    "connect_timeout",
    "sslmode",
    "sslrootcert",
    "target_session_attrs",
    "channel_binding",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "tcp_user_timeout",
    "load_balance_hosts",
];

/// The parameters of service `name`, in file order.
pub(super) fn lookup(
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, String)>, ConnectError> {
    for file in candidate_files(env) {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        if let Some(params) = section(&text, name, &file)? {
            return Ok(params);
        }
    }
    Err(ConnectError::Service(format!("definition of service \"{name}\" not found")))
}

/// The user's file, then the system-wide one.
fn candidate_files(env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let user = env("PGSERVICEFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| Path::new(&home).join(".pg_service.conf")));
    let system =
        Path::new(&env("PGSYSCONFDIR").unwrap_or_else(|| DEFAULT_SYSCONFDIR.into())).join("pg_service.conf");
    user.into_iter().chain([system]).collect()
}

/// The `key=value` lines of section `[name]`; `None` when the file has no
/// such section.
fn section(text: &str, name: &str, file: &Path) -> Result<Option<Vec<(String, String)>>, ConnectError> {
    let mut params: Option<Vec<(String, String)>> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            if params.is_some() {
                break; // the next section: ours is complete
            }
            if header.strip_suffix(']') == Some(name) {
                params = Some(Vec::new());
            }
            continue;
        }
        if let Some(params) = params.as_mut() {
            params.push(parameter(line, file, n + 1)?);
        }
    }
    Ok(params)
}

fn parameter(line: &str, file: &Path, number: usize) -> Result<(String, String), ConnectError> {
    let at = |what: &str| {
        ConnectError::Service(format!("{what} in service file \"{}\", line {number}", file.display()))
    };
    let (key, value) = line.split_once('=').ok_or_else(|| at("syntax error"))?;
    if key == "service" {
        return Err(at("nested service specifications not supported"));
    }
    if !KEYWORDS.contains(&key) {
        return Err(at(&format!("unknown or unsupported parameter \"{key}\"")));
    }
    Ok((key.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# comment\n\
                        [other]\nhost=elsewhere\n\n\
                        [mydb]\n  host=somehost\nport=5433\npassword=p=w #1\n\
                        [after]\nuser=nobody\n";

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn reads_only_the_named_section() {
        let got = section(FILE, "mydb", Path::new("f")).unwrap().unwrap();
        assert_eq!(got, pairs(&[("host", "somehost"), ("port", "5433"), ("password", "p=w #1")]));
        assert_eq!(section(FILE, "missing", Path::new("f")).unwrap(), None);
        assert_eq!(section(FILE, "mydb]", Path::new("f")).unwrap(), None);
    }

    #[test]
    fn errors_name_file_and_line_but_no_value() {
        let err = section("[s]\nhost=h\nsecret-without-key\n", "s", Path::new("/x/pg_service.conf"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("syntax error in service file \"/x/pg_service.conf\", line 3"), "{err}");
        assert!(!err.contains("secret"), "{err}");
        let err = section("[s]\nservice=t\n", "s", Path::new("f")).unwrap_err().to_string();
        assert!(err.contains("nested service specifications not supported"), "{err}");
        let err = section("[s]\nsslcert=c.pem\n", "s", Path::new("f")).unwrap_err().to_string();
        assert!(err.contains("unsupported parameter \"sslcert\""), "{err}");
        // Lines of other sections are not checked, as with libpq.
        assert!(section("[t]\ngarbage\n[s]\nhost=h\n", "s", Path::new("f")).is_ok());
    }

    #[test]
    fn the_user_file_wins_and_the_system_file_is_the_fall_back() {
        let dir = std::env::temp_dir().join(format!("pgrecon-service-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let user = dir.join("user.conf");
        std::fs::write(&user, "[both]\nhost=from-user\n").unwrap();
        std::fs::write(dir.join("pg_service.conf"), "[both]\nhost=from-system\n[sys]\nport=1\n").unwrap();
        let env = |k: &str| match k {
            "PGSERVICEFILE" => Some(user.display().to_string()),
            "PGSYSCONFDIR" => Some(dir.display().to_string()),
            _ => None,
        };
        assert_eq!(lookup("both", &env).unwrap(), pairs(&[("host", "from-user")]));
        assert_eq!(lookup("sys", &env).unwrap(), pairs(&[("port", "1")]));
        let err = lookup("nowhere", &env).unwrap_err().to_string();
        assert!(err.contains("definition of service \"nowhere\" not found"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
