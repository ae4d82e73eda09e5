//! Separating the libpq parameters that pgrecon handles itself from the
//! ones tokio-postgres understands.

use super::ConnectError;

/// Parameters tokio-postgres rejects or ignores, taken out of a conninfo.
pub(super) struct Split {
    pub rest: String,
    pub ssl_mode: Option<String>,
    pub root_cert: Option<String>,
}

const OURS: [&str; 2] = ["sslmode", "sslrootcert"];

pub(super) fn split_libpq_only(conninfo: &str) -> Result<Split, ConnectError> {
    let trimmed = conninfo.trim();
    if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        split_url(trimmed)
    } else {
        split_key_value(trimmed)
    }
}

fn split_url(text: &str) -> Result<Split, ConnectError> {
    let (base, query) = match text.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (text, None),
    };
    let mut kept = Vec::new();
    let mut split = Split { rest: String::new(), ssl_mode: None, root_cert: None };
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = percent_decode(value)?;
        match key {
            "sslmode" => split.ssl_mode = Some(decoded),
            "sslrootcert" => split.root_cert = Some(decoded),
            _ => kept.push(pair),
        }
    }
    split.rest = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    Ok(split)
}

fn percent_decode(value: &str) -> Result<String, ConnectError> {
    let decoded: Vec<u8> = url::form_urlencoded::parse(format!("v={}", value.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default();
    String::from_utf8(decoded).map_err(|_| ConnectError::InvalidUrl("a parameter is not UTF-8".into()))
}

/// `key=value key2='quoted value'`: libpq's keyword form.
fn split_key_value(text: &str) -> Result<Split, ConnectError> {
    let mut split = Split { rest: String::new(), ssl_mode: None, root_cert: None };
    let mut kept = Vec::new();
    for (key, value) in key_value_pairs(text)? {
        match key.as_str() {
            "sslmode" => split.ssl_mode = Some(value),
            "sslrootcert" => split.root_cert = Some(value),
            _ => kept.push(format!("{key}='{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))),
        }
    }
    debug_assert!(OURS.iter().all(|k| !kept.iter().any(|p| p.starts_with(&format!("{k}=")))));
    split.rest = kept.join(" ");
    Ok(split)
}

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

    #[test]
    fn takes_ssl_parameters_out_of_urls() {
        let s = split_libpq_only(
            "postgres://u:p@h/db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(s.rest, "postgres://u:p@h/db?connect_timeout=3");
        assert_eq!(s.ssl_mode.as_deref(), Some("verify-full"));
        assert_eq!(s.root_cert.as_deref(), Some("/tmp/ca.pem"));
    }

    #[test]
    fn takes_ssl_parameters_out_of_key_value_strings() {
        let s = split_libpq_only("host=h user='a b' sslmode=require password='it\\'s'").unwrap();
        assert_eq!(s.rest, "host='h' user='a b' password='it\\'s'");
        assert_eq!(s.ssl_mode.as_deref(), Some("require"));
    }
}
