//! "Same schema" means: `pg_dump --schema-only` of both databases gives the
//! same set of statements, with column order inside `CREATE TABLE` ignored.
//! Ownership and privileges are left out (a scratch cluster has one role).

use std::process::Command;

use super::cluster;

pub fn normalized_schema(url: &str) -> String {
    let out = Command::new(cluster().bindir().join("pg_dump"))
        // pgrecon's own records of data steps are not part of any schema
        // it manages (introspection and drift leave them out too).
        .args(["--schema-only", "--no-owner", "--no-privileges", "--exclude-schema=pgrecon", "-d", url])
        .output()
        .expect("run pg_dump");
    assert!(out.status.success(), "pg_dump failed: {}", String::from_utf8_lossy(&out.stderr));
    normalize(&String::from_utf8_lossy(&out.stdout))
}

/// `pg_dump --schema-only`, to restore with psql. The client tools may be
/// newer than the server (`make test-versions` uses the newest release's
/// for every major), and a newer pg_dump writes `SET transaction_timeout`,
/// which servers before 17 reject; the default it sets changes nothing.
pub fn schema_dump(url: &str) -> String {
    let out = Command::new(cluster().bindir().join("pg_dump"))
        .args(["--schema-only", "-d", url])
        .output()
        .expect("run pg_dump");
    assert!(out.status.success(), "pg_dump failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with("SET transaction_timeout"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn normalize(dump: &str) -> String {
    let mut statements: Vec<String> = split_statements(dump)
        .into_iter()
        .filter(|s| !s.starts_with("SET ") && !s.starts_with("SELECT pg_catalog.set_config"))
        .map(|s| sort_table_columns(&s))
        .collect();
    statements.sort();
    statements.join("\n\n") + "\n"
}

/// Statements end with `;` at the end of a line outside dollar quotes.
fn split_statements(dump: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut open_quote: Option<String> = None;
    for line in dump.lines() {
        if current.is_empty() && (line.is_empty() || line.starts_with("--") || line.starts_with('\\')) {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        track_dollar_quotes(line, &mut open_quote);
        if open_quote.is_none() && line.ends_with(';') {
            statements.push(std::mem::take(&mut current).trim_end().to_string());
        }
    }
    statements
}

fn track_dollar_quotes(line: &str, open: &mut Option<String>) {
    let mut rest = line;
    while let Some(start) = rest.find('$') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('$') else { return };
        let tag = &after[..end];
        if tag.chars().all(|c| c.is_alphanumeric() || c == '_') {
            let token = format!("${tag}$");
            match open {
                Some(t) if *t == token => *open = None,
                Some(_) => {}
                None => *open = Some(token),
            }
            rest = &after[end + 1..];
        } else {
            rest = after;
        }
    }
}

/// Column order aside: the lines between `CREATE TABLE ... (` and `);`
/// are compared as a set (trailing commas removed).
fn sort_table_columns(statement: &str) -> String {
    if !statement.starts_with("CREATE TABLE") && !statement.starts_with("CREATE UNLOGGED TABLE") {
        return statement.to_string();
    }
    let lines: Vec<&str> = statement.lines().collect();
    if lines.len() < 3 {
        return statement.to_string();
    }
    let mut body: Vec<String> =
        lines[1..lines.len() - 1].iter().map(|l| l.trim_end_matches(',').to_string()).collect();
    body.sort();
    let mut out = vec![lines[0].to_string()];
    out.extend(body);
    out.push(lines[lines.len() - 1].to_string());
    out.join("\n")
}
