//! The library's stages measured in-process: introspection, loading,
//! elaboration, diff, and diff plus ordering (`plan::plan`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use criterion::{BenchmarkId, Criterion, SamplingMode};
use pgrecon::catalog::Catalog;
use pgrecon::elaborate::{DesiredState, ScratchServer};
use tokio::runtime::Runtime;

use crate::pg::Server;
use crate::run::{median, Runs};

/// Criterion needs ten samples and a warm-up: twelve calls with ours. For
/// a call slower than this (a stage not yet optimized, at 10,000 tables)
/// that would take minutes per figure, so such a call is timed by hand
/// (the median of up to three calls) and marked so in the report.
const CRITERION_LIMIT: Duration = Duration::from_secs(5);
/// More calls after the first, while they fit in half a minute.
const HAND_RUNS: Runs = Runs { min: 0, max: 2, budget: Duration::from_secs(30) };

/// A stage's median time, the output of one call, and the stage's name if
/// it was timed by hand rather than by criterion.
pub struct Timed<T> {
    pub time: Duration,
    pub output: T,
    pub by_hand: Option<&'static str>,
}

fn time<T>(f: &mut impl FnMut() -> T) -> Duration {
    let started = Instant::now();
    black_box(f());
    started.elapsed()
}

/// Criterion, set up for measurements that take milliseconds to seconds.
pub struct Lab {
    criterion: Criterion,
    home: PathBuf,
    benchmarking: bool,
    started: SystemTime,
}

impl Lab {
    pub fn new(benchmarking: bool) -> Lab {
        let home = criterion_home();
        // Given explicitly, so the estimates are read from where they were
        // written (criterion otherwise asks `cargo metadata`).
        let criterion = Criterion::default()
            .output_directory(&home)
            .without_plots()
            .sample_size(10)
            .configure_from_args();
        Lab { criterion, home, benchmarking, started: SystemTime::now() }
    }

    /// The median time of `f` as `group/tables`, and the output of a first
    /// call made by hand. Through criterion, with flat sampling and a short
    /// target time: ten samples of one call each for calls of a second or
    /// more (criterion then warns that ten samples do not fit the time,
    /// which is the point), more calls per sample for quick ones. A first
    /// call slower than [`CRITERION_LIMIT`] is timed by hand instead (see
    /// there). Under `cargo test`, criterion calls `f` once and the first
    /// call's time is the figure.
    pub fn measure<T>(&mut self, group: &'static str, tables: usize, mut f: impl FnMut() -> T) -> Timed<T> {
        let started = Instant::now();
        let output = f();
        let first = started.elapsed();
        if self.benchmarking && first > CRITERION_LIMIT {
            let more = HAND_RUNS.repeat(|_| time(&mut f));
            let time = median(more.into_iter().chain([first]).collect());
            return Timed { time, output, by_hand: Some(group) };
        }
        let mut g = self.criterion.benchmark_group(group);
        g.sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_secs(2));
        g.bench_function(BenchmarkId::from_parameter(tables), |b| b.iter(|| black_box(f())));
        g.finish();
        let time = if self.benchmarking { self.median(group, tables) } else { first };
        Timed { time, output, by_hand: None }
    }

    /// The median criterion wrote for this run (not an earlier one's).
    fn median(&self, group: &str, tables: usize) -> Duration {
        let path = self.home.join(group).join(tables.to_string()).join("new/estimates.json");
        let fresh = std::fs::metadata(&path).and_then(|m| m.modified()).is_ok_and(|t| t >= self.started);
        assert!(fresh, "criterion wrote no estimate at {} (was the benchmark filtered out?)", path.display());
        let text = std::fs::read_to_string(&path).expect("criterion's estimates");
        let estimates: serde_json::Value =
            serde_json::from_str(&text).expect("criterion's estimates are JSON");
        let nanos =
            estimates["median"]["point_estimate"].as_f64().expect("a median in criterion's estimates");
        Duration::from_secs_f64(nanos / 1e9)
    }
}

/// `$CRITERION_HOME`, else `criterion/` in cargo's target directory.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    crate::target_dir().join("criterion")
}

/// What the stages cost for one size.
pub struct InProcess {
    pub introspection: Duration,
    /// Statements one introspection sends (`IntrospectStats`).
    pub catalog_statements: usize,
    pub load: Duration,
    pub elaboration: Duration,
    pub elaboration_runs: usize,
    pub diff: Duration,
    /// `plan::plan`: the diff, then SQL for each change and its ordering.
    pub diff_ordering: Duration,
    pub plan_steps: usize,
    /// Stages too slow for criterion, timed by hand.
    pub hand_timed: Vec<&'static str>,
}

/// Measures the stages of planning `desired` (files) against database `live`.
pub fn measure(
    lab: &mut Lab,
    rt: &Runtime,
    server: &Server,
    live: &str,
    desired: &Path,
    tables: usize,
    elaborations: Runs,
) -> InProcess {
    // As a command reads: new sessions (the server's caches cold for them),
    // the catalog read on two connections; connecting is part of the time.
    let introspection = lab.measure("introspection", tables, || {
        let (client, helper) = (server.connect(rt, live), server.connect(rt, live));
        rt.block_on(pgrecon::introspect::introspect_with(&client, Some(&helper), None))
            .expect("introspection")
    });
    let (live, stats) = &introspection.output;
    let paths = [desired.to_path_buf()];
    let load = lab.measure("load", tables, || pgrecon::load::load(&paths).expect("the desired files load"));
    let (elaboration, elaboration_runs, desired) = elaborate(rt, server, &paths, elaborations);
    let diff = lab.measure("diff", tables, || diff(live, &desired));
    let plan = lab.measure("diff_ordering", tables, || pgrecon::plan::plan(live, &desired).expect("a plan"));
    assert!(!plan.output.is_empty(), "{tables} tables: the changed copy plans nothing");
    let hand_timed = [introspection.by_hand, load.by_hand, diff.by_hand, plan.by_hand];
    InProcess {
        introspection: introspection.time,
        catalog_statements: stats.statements,
        load: load.time,
        elaboration,
        elaboration_runs,
        diff: diff.time,
        diff_ordering: plan.time,
        plan_steps: plan.output.steps.len(),
        hand_timed: hand_timed.into_iter().flatten().collect(),
    }
}

/// Elaboration timed by hand (the median of `runs`; also how many), not
/// through criterion: it takes about as long as psql loading the files,
/// close to a minute at 10,000 tables, and criterion insists on at least
/// ten samples. Loading the files is left out (measured on its own).
fn elaborate(
    rt: &Runtime,
    server: &Server,
    paths: &[PathBuf],
    runs: Runs,
) -> (Duration, usize, DesiredState) {
    let target = pgrecon::connect::Target::parse(&server.url("postgres")).expect("a cluster URL parses");
    let scratch = ScratchServer::Server(target);
    let mut timed = runs.repeat(|_| {
        let sources = pgrecon::load::load(paths).expect("the desired files load");
        let started = Instant::now();
        let desired = rt.block_on(pgrecon::elaborate::elaborate(sources, &scratch));
        (started.elapsed(), desired.unwrap_or_else(|e| panic!("elaboration failed: {e}")))
    });
    let count = timed.len();
    let time = median(timed.iter().map(|(t, _)| *t).collect());
    let (_, desired) = timed.pop().expect("at least one run");
    (time, count, desired)
}

/// What `plan` does before any SQL: resolve renames, rename the live model,
/// compare.
fn diff(live: &Catalog, desired: &DesiredState) -> Vec<pgrecon::diff::Change> {
    let resolved = pgrecon::diff::resolve(live, &desired.catalog, &desired.sources.renames);
    let renamed = pgrecon::diff::rename_catalog(live, &resolved.names, &resolved.constraints);
    pgrecon::diff::diff(&renamed, &desired.catalog)
}
