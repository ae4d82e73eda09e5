//! Writing results to standard output.

use std::io::Write;

use miette::{IntoDiagnostic, Result};

/// Writes `text` to stdout. A closed pipe (`pgrecon dump | head`) is not an
/// error: the reader has what it wanted.
pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.into_diagnostic(),
    }
}

/// Objects a dump writes that use objects it leaves out (a view over a
/// partitioned table, a column with a custom collation): the files do not
/// load by themselves until those are added to them.
pub fn warn_left_out_uses(uses: &[(pgrecon::catalog::ObjectId, pgrecon::catalog::Unmanaged)]) {
    if uses.is_empty() {
        return;
    }
    let shown: Vec<String> = uses
        .iter()
        .take(5)
        .map(|(id, u)| format!("{} {id} uses {} {}", id.kind_name(), u.kind, u.name))
        .collect();
    let more = uses.len().saturating_sub(shown.len());
    let tail = if more > 0 { format!("; and {more} more") } else { String::new() };
    pgrecon::say!(
        "warning: the dump does not load by itself: {}{tail}. Add what is used to the files (its definition \
         from `pg_dump --schema-only`, for instance) so that they load; pgrecon does not create or change it \
         in a database: do that by hand where it is missing",
        shown.join("; ")
    );
}

/// Objects of kinds pgrecon does not manage, named on stderr by kind
/// (`how` says what becomes of them), so nobody mistakes a partial picture
/// for a complete one.
pub fn warn_unmanaged<'a>(objects: impl IntoIterator<Item = &'a pgrecon::catalog::Unmanaged>, how: &str) {
    let mut kinds: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for u in objects {
        kinds.entry(&u.kind).or_default().push(&u.name);
    }
    for (kind, names) in kinds {
        let shown: Vec<&str> = names.iter().take(5).copied().collect();
        let more = names.len().saturating_sub(shown.len());
        let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
        pgrecon::say!("warning: not managed by pgrecon ({kind}, {how}): {}{tail}", shown.join(", "));
    }
}
