//! Flags that tune how `apply` and `rollback` run.

use std::time::Duration;

use pgrecon::apply::ApplyOptions;

#[derive(clap::Args, Clone)]
pub struct ApplyFlags {
    /// Apply without asking (required when standard input is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Allow steps that drop data (tables, columns, sequences, narrowing types).
    #[arg(long)]
    pub allow_data_loss: bool,
    /// How long a statement may wait for a lock (`lock_timeout`), e.g. 5s, 500ms.
    #[arg(long, value_parser = parse_timeout, default_value = "5s")]
    pub lock_timeout: Duration,
    /// `statement_timeout` for every statement but index builds.
    #[arg(long, value_parser = parse_timeout, default_value = "15m")]
    pub statement_timeout: Duration,
    /// How often a transaction that hit the lock timeout is retried (with backoff).
    #[arg(long, default_value_t = 3)]
    pub lock_retries: u32,
    /// How long to wait for another pgrecon apply on the same database.
    #[arg(long, value_parser = parse_duration, default_value = "60s")]
    pub wait: Duration,
}

impl ApplyFlags {
    pub fn options(&self) -> ApplyOptions {
        ApplyOptions {
            allow_data_loss: self.allow_data_loss,
            lock_timeout: self.lock_timeout,
            statement_timeout: self.statement_timeout,
            lock_retries: self.lock_retries,
            wait_for_other_apply: self.wait,
            ..ApplyOptions::default()
        }
    }
}

/// A duration for a server timeout: PostgreSQL counts milliseconds, and 0
/// means no timeout at all, the opposite of what a short one asks for.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d < Duration::from_millis(1) {
        return Err("must be at least 1ms (PostgreSQL reads 0 as no timeout at all)".into());
    }
    Ok(d)
}

/// `500ms`, `5s`, `2m`, `1h` (a bare number means seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("not a duration: {text} (try 5s, 500ms, 2m)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("unknown unit in {text} (use ms, s, m or h)")),
    };
    Ok(Duration::from_secs_f64(seconds))
}
