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
