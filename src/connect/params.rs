//! A conninfo — URL or libpq `key=value` string — as one list of libpq
//! parameters. With both forms in one representation, pgrecon can take out
//! the parameters tokio-postgres lacks (`sslmode`'s verify modes,
//! `sslrootcert`, `service`) and a service file can fill in exactly what
//! the conninfo leaves out, as libpq does.

use tokio_postgres::Config;

use super::ConnectError;

#[derive(Debug, Default, PartialEq)]
pub(super) struct Params {
    /// In the order given; a keyword given twice keeps its last value.
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn parse(conninfo: &str) -> Result<Params, ConnectError> {
        let trimmed = conninfo.trim();
        let pairs = match ["postgres://", "postgresql://"].iter().find_map(|p| trimmed.strip_prefix(p)) {
            Some(url) => url_pairs(url)?,
            None => key_value_pairs(trimmed)?,
        };
        let mut params = Params::default();
        for (key, value) in pairs {
            params.pairs.retain(|(k, _)| *k != key);
            params.pairs.push((key, value));
        }
        Ok(params)
    }

    /// Removes a parameter pgrecon handles itself and returns its value.
    pub fn take(&mut self, key: &str) -> Option<String> {
        let at = self.pairs.iter().position(|(k, _)| k == key)?;
        Some(self.pairs.remove(at).1)
    }

    /// Sets `key` unless the conninfo gave it: a service's values are
    /// defaults that explicit parameters override.
    pub fn set_default(&mut self, key: &str, value: &str) {
        if !self.pairs.iter().any(|(k, _)| k == key) {
            self.pairs.push((key.to_string(), value.to_string()));
        }
    }

    /// The remaining parameters as tokio-postgres's configuration.
    pub fn config(&self) -> Result<Config, ConnectError> {
        let text: Vec<String> = self
            .pairs
            .iter()
            .map(|(k, v)| format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")))
            .collect();
        if text.is_empty() {
            return Ok(Config::new());
        }
        text.join(" ").parse().map_err(|e: tokio_postgres::Error| ConnectError::InvalidUrl(e.to_string()))
    }
}

/// `[user[:password]@][host[:port][,…]][/dbname][?key=value&…]`, the part
/// after the scheme. Credentials end at the first `@`, as tokio-postgres
/// reads them. A host without a port gives no port, so the port still comes
/// from the service or `PGPORT`, as with libpq.
fn url_pairs(url: &str) -> Result<Vec<(String, String)>, ConnectError> {
    let mut pairs = Vec::new();
    let mut rest = url;
    if let Some((credentials, after)) = url.split_once('@') {
        let (user, password) = match credentials.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (credentials, None),
        };
        if !user.is_empty() {
            pairs.push(("user".to_string(), percent_decode(user)?));
        }
        if let Some(p) = password {
            pairs.push(("password".to_string(), percent_decode(p)?));
        }
        rest = after;
    }
    let (hosts, rest) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    pairs.extend(host_pairs(hosts)?);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let dbname = path.strip_prefix('/').unwrap_or(path);
    if !dbname.is_empty() {
        pairs.push(("dbname".to_string(), percent_decode(dbname)?));
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| ConnectError::InvalidUrl(format!("parameter \"{pair}\" has no value")))?;
        pairs.push((percent_decode(key)?, percent_decode(value)?));
    }
    Ok(pairs)
}

/// `host1:5432,[::1]:5433,%2Ftmp` → `host` and, when any is given, `port`
/// lists (an empty entry is the default port).
fn host_pairs(hosts: &str) -> Result<Vec<(String, String)>, ConnectError> {
    if hosts.is_empty() {
        return Ok(Vec::new());
    }
    let (mut names, mut ports) = (Vec::new(), Vec::new());
    for chunk in hosts.split(',') {
        let (name, port) = match chunk.strip_prefix('[') {
            Some(v6) => {
                let (name, after) = v6
                    .split_once(']')
                    .ok_or_else(|| ConnectError::InvalidUrl(format!("unterminated IPv6 host \"{chunk}\"")))?;
                (name, after.strip_prefix(':').unwrap_or(after))
            }
            None => chunk.split_once(':').unwrap_or((chunk, "")),
        };
        names.push(percent_decode(name)?);
        ports.push(percent_decode(port)?);
    }
    let mut pairs = vec![("host".to_string(), names.join(","))];
    if ports.iter().any(|p| !p.is_empty()) {
        pairs.push(("port".to_string(), ports.join(",")));
    }
    Ok(pairs)
}

fn percent_decode(value: &str) -> Result<String, ConnectError> {
    let decoded: Vec<u8> = url::form_urlencoded::parse(format!("v={}", value.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default();
    String::from_utf8(decoded).map_err(|_| ConnectError::InvalidUrl("a parameter is not UTF-8".into()))
}

/// `key=value key2='quoted value'`: libpq's keyword form.
fn key_value_pairs(text: &str) -> Result<Vec<(String, String)>, ConnectError> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && !c.is_whitespace())).collect();
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(ConnectError::InvalidUrl(format!("expected '=' after \"{key}\"")));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let value = read_value(&mut chars)?;
        pairs.push((key, value));
    }
}

fn read_value(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, ConnectError> {
    let quoted = chars.next_if_eq(&'\'').is_some();
    let mut value = String::new();
    loop {
        match chars.next() {
            None if quoted => return Err(ConnectError::InvalidUrl("unterminated quoted value".into())),
            None => return Ok(value),
            Some('\\') => value.extend(chars.next()),
            Some('\'') if quoted => return Ok(value),
            Some(c) if c.is_whitespace() && !quoted => return Ok(value),
            Some(c) => value.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &Params) -> Vec<(&str, &str)> {
        p.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn urls_become_parameters() {
        let p = Params::parse(
            "postgres://u:p%40ss@h1:5433,[::1],%2Ftmp/my%20db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem",
        )
        .unwrap();
        assert_eq!(
            pairs(&p),
            [
                ("user", "u"),
                ("password", "p@ss"),
                ("host", "h1,::1,/tmp"),
                ("port", "5433,,"),
                ("dbname", "my db"),
                ("sslmode", "verify-full"),
                ("sslrootcert", "/tmp/ca.pem"),
            ]
        );
        let bare = Params::parse("postgresql://db.example/app").unwrap();
        assert_eq!(pairs(&bare), [("host", "db.example"), ("dbname", "app")], "no port: the default applies");
        assert_eq!(pairs(&Params::parse("postgres:///?service=prod").unwrap()), [("service", "prod")]);
    }

    #[test]
    fn key_value_strings_become_parameters() {
        let mut p = Params::parse("host=h user='a b' sslmode=require password='it\\'s' host=h2").unwrap();
        assert_eq!(p.take("sslmode").as_deref(), Some("require"));
        assert_eq!(pairs(&p), [("user", "a b"), ("password", "it's"), ("host", "h2")]);
    }

    #[test]
    fn defaults_never_override_given_parameters() {
        let mut p = Params::parse("postgres://me@h/app").unwrap();
        p.set_default("user", "service-user");
        p.set_default("port", "5433");
        assert_eq!(pairs(&p), [("user", "me"), ("host", "h"), ("dbname", "app"), ("port", "5433")]);
        let config = p.config().unwrap();
        assert_eq!((config.get_user(), config.get_ports()), (Some("me"), &[5433][..]));
    }
}
