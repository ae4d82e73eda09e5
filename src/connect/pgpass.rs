//! `.pgpass` lookup with libpq's rules: `host:port:db:user:password`, `*`
//! matches anything, `\` escapes `:` and `\`, the first match wins, and a
//! file readable by group or others is ignored.

use std::path::Path;

pub(super) struct Query<'a> {
    pub host: &'a str,
    pub port: &'a str,
    pub dbname: &'a str,
    pub user: &'a str,
}

pub(super) fn lookup(file: &Path, query: &Query<'_>) -> Option<String> {
    if !permissions_are_private(file) {
        crate::say!(
            "warning: password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            file.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().filter(|l| !l.trim_start().starts_with('#')).find_map(|line| match_line(line, query))
}

#[cfg(unix)]
fn permissions_are_private(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(file) {
        Ok(m) => m.permissions().mode() & 0o077 == 0,
        Err(_) => true, // a missing file is simply not used
    }
}

#[cfg(not(unix))]
fn permissions_are_private(_: &Path) -> bool {
    true
}

fn match_line(line: &str, q: &Query<'_>) -> Option<String> {
    let fields = split_fields(line);
    if fields.len() < 5 {
        return None;
    }
    let wanted = [q.host, q.port, q.dbname, q.user];
    let matches = fields.iter().zip(wanted).all(|(f, w)| f == "*" || f == w);
    matches.then(|| fields[4..].join(":"))
}

fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().unwrap().extend(chars.next()),
            ':' => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let q = Query { host: "db", port: "5432", dbname: "app", user: "me" };
        assert_eq!(match_line("other:*:*:*:no", &q), None);
        assert_eq!(match_line("db:*:app:me:s3\\:cret", &q).as_deref(), Some("s3:cret"));
        assert_eq!(match_line("*:*:*:*:any", &q).as_deref(), Some("any"));
    }
}
