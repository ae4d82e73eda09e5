//! Timing child processes: wall time, exit code and peak memory of exactly
//! that child, with its output kept in a log file for when it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// GNU time, for the peak memory of one command.
const TIME: &str = "/usr/bin/time";

/// One run of one command.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    /// Peak resident set of the child; None without /usr/bin/time.
    pub max_rss_kb: Option<u64>,
    pub code: i32,
}

impl Measured {
    pub fn max_rss_mb(&self) -> Option<f64> {
        self.max_rss_kb.map(|kb| kb as f64 / 1024.0)
    }
}

/// The largest peak of `runs`, in MB.
pub fn peak_mb(runs: &[Measured]) -> Option<f64> {
    runs.iter().filter_map(Measured::max_rss_mb).reduce(f64::max)
}

/// Runs `cmd` with stdout and stderr to `log`, under /usr/bin/time when it
/// exists. Not `wait4`'s or `getrusage`'s `ru_maxrss`: Rust starts children
/// with `posix_spawn` (vfork), and exec records the spawning process's peak
/// as the child's, so every child would report at least this benchmark's
/// own size (hundreds of MB, holding catalogs). GNU time forks from a small
/// process and reports the command's own peak.
pub fn measured(cmd: &mut Command, log: &Path) -> std::io::Result<Measured> {
    std::fs::create_dir_all(log.parent().expect("a log file in a directory"))?;
    let rss_file = log.with_extension("rss");
    let _ = std::fs::remove_file(&rss_file);
    let mut wrapped;
    let timed = if Path::new(TIME).exists() {
        wrapped = under_time(cmd, &rss_file);
        &mut wrapped
    } else {
        cmd
    };
    let out = std::fs::File::create(log)?;
    let err = out.try_clone()?;
    let started = Instant::now();
    let status = timed.stdin(Stdio::null()).stdout(out).stderr(err).status()?;
    let wall = started.elapsed();
    // GNU time exits with the command's status.
    let code = status.code().unwrap_or(-1);
    Ok(Measured { wall, max_rss_kb: read_rss(&rss_file), code })
}

/// `cmd` run by `time -f %M -o rss_file`, in the same directory with the
/// same environment.
fn under_time(cmd: &Command, rss_file: &Path) -> Command {
    let mut timed = Command::new(TIME);
    timed.args(["-f", "%M", "-o"]).arg(rss_file).arg(cmd.get_program()).args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => timed.env(key, v),
            None => timed.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        timed.current_dir(dir);
    }
    timed
}

/// The KiB GNU time wrote last (after any "exited with non-zero status").
fn read_rss(rss_file: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(rss_file).ok()?;
    text.lines().last()?.trim().parse().ok()
}

/// Like [`measured`], and panics (with the end of the log) unless the exit
/// code is one of `expected`: a benchmark of a failing command measures
/// nothing.
pub fn expect(cmd: &mut Command, log: &Path, expected: &[i32]) -> Measured {
    let m = measured(cmd, log).unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if !expected.contains(&m.code) {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!(
            "{cmd:?} exited with {} (expected {expected:?}); log {}:\n{}",
            m.code,
            log.display(),
            tail.join("\n")
        );
    }
    m
}

/// How often to run a measurement: at least `min` times, and more, up to
/// `max`, while the runs so far took less than `budget`: so a median of
/// three for commands of a minute, and of more for quick ones.
#[derive(Debug, Clone, Copy)]
pub struct Runs {
    pub min: usize,
    pub max: usize,
    pub budget: Duration,
}

impl Runs {
    pub const ONCE: Runs = Runs { min: 1, max: 1, budget: Duration::ZERO };

    pub fn repeat<T>(self, mut f: impl FnMut(usize) -> T) -> Vec<T> {
        let started = Instant::now();
        let mut out = Vec::new();
        while out.len() < self.min || (out.len() < self.max && started.elapsed() < self.budget) {
            out.push(f(out.len()));
        }
        out
    }
}

/// The median wall time (the upper middle one for an even count).
pub fn median_wall(runs: &[Measured]) -> Duration {
    median(runs.iter().map(|m| m.wall).collect())
}

pub fn median(mut xs: Vec<Duration>) -> Duration {
    assert!(!xs.is_empty(), "a median of nothing");
    xs.sort();
    xs[xs.len() / 2]
}

/// Where the logs of one size go.
pub fn log_path(dir: &Path, name: &str) -> PathBuf {
    dir.join("logs").join(format!("{name}.log"))
}
