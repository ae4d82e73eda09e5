//! `make bench` (issue 8): how pgrecon scales, on synthetic schemas of
//! 1,000, 2,000, 5,000 and 10,000 tables and a changed copy of each (5% of
//! the tables: a column added, a default changed, an index dropped, a column
//! renamed), on a throwaway PostgreSQL cluster.
//!
//! For each size: the library's stages in-process (introspection, loading,
//! elaboration, diff, diff plus ordering; through criterion), the release
//! binary's `plan` (cold) and `drift` (warm cache) as users run them, the
//! plan's peak memory, and the floor: psql loading the same files into an
//! empty database plus one `pg_dump --schema-only`. At 2,000 tables, migra
//! for comparison when it can be installed. Prints a table with the issue's
//! targets marked and writes it to target/bench/scale.json (and a
//! timestamped copy).
//!
//! `cargo bench --bench scale` runs it (`PGRECON_BENCH_SIZES=1000,2000`
//! picks sizes). On two cores every size takes about half an hour, most of
//! it at 10,000 tables, where psql alone needs over a minute per load and
//! each pgrecon command a few. `cargo test` runs it without `--bench`: then it is a smoke
//! test of 80 tables, one call of everything, which fails when planning,
//! drift or apply misbehave.

#[path = "scale/binary.rs"]
mod binary;
#[path = "scale/inproc.rs"]
mod inproc;
#[path = "scale/migra.rs"]
mod migra;
#[path = "scale/pg.rs"]
mod pg;
#[path = "scale/report.rs"]
mod report;
#[path = "scale/run.rs"]
mod run;
#[path = "scale/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use binary::Pgrecon;
use report::{secs, thousands, SizeResult};
use run::{median, median_wall, Measured, Runs};
use synth::Variant;
use tokio::runtime::Runtime;

/// The allocator the `pgrecon` binary uses, so the in-process figures are
/// the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 4] = [1_000, 2_000, 5_000, 10_000];
/// Whole commands: a median of three at the big sizes (where a plan takes
/// minutes), of up to five where they are quick.
const COMMAND_RUNS: Runs = Runs { min: 3, max: 5, budget: Duration::from_secs(20) };
/// Enough tables for every kind of change (every 20th table changes, four
/// kinds taking turns).
const SMOKE_TABLES: usize = 80;

fn main() {
    // cargo bench passes --bench; cargo test runs bench targets without it.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let sizes = if benchmarking { sizes_from_env() } else { vec![SMOKE_TABLES] };
    exit_on_ctrl_c();
    let rt = runtime();
    let started = Instant::now();
    let mut bench = Bench {
        server: pg::Server::start(&rt),
        rt,
        pgrecon: Pgrecon::find(),
        lab: inproc::Lab::new(benchmarking),
        benchmarking,
        commands: if benchmarking { COMMAND_RUNS } else { Runs::ONCE },
        dir: target_dir().join("bench"),
        started,
    };
    let mut results = Vec::new();
    let mut migra = None;
    for tables in sizes {
        let size = Size::generate(&bench.dir, tables);
        results.push(bench.measure(&size));
        if benchmarking && tables == migra::TABLES {
            bench.progress(&size, "migra");
            let [from, to] = [size.db("base"), size.db("floor")].map(|db| bench.server.url(&db));
            migra = Some(migra::compare(&bench.dir, &from, &to, bench.commands));
        }
        bench.drop_databases(&size);
    }
    let postgres = bench.server.version(&bench.rt);
    let report = report::Report::new(postgres, bench.pgrecon.has_no_cache, results, migra);
    println!("\n{}", report.table());
    if benchmarking {
        let written = report.write_json(&bench.dir).expect("cannot write the JSON report");
        println!("written: {} and {}", written[0].display(), written[1].display());
    }
}

/// `PGRECON_BENCH_SIZES=1000,2000`, else every size.
fn sizes_from_env() -> Vec<usize> {
    let Ok(list) = std::env::var("PGRECON_BENCH_SIZES") else { return SIZES.to_vec() };
    list.split(',')
        .map(|s| {
            s.trim()
                .replace('_', "")
                .parse()
                .unwrap_or_else(|_| panic!("PGRECON_BENCH_SIZES: bad size {s:?}"))
        })
        .collect()
}

/// `$CARGO_TARGET_DIR`, else `target/` in the package.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from)
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// `elaborate` listens for Ctrl-C through tokio, which takes SIGINT's
/// default action away for the rest of the process: without this, Ctrl-C
/// would stop cargo and leave the benchmark running. The cluster's watchdog
/// removes the cluster once the process is gone.
fn exit_on_ctrl_c() {
    std::thread::spawn(|| {
        if runtime().block_on(tokio::signal::ctrl_c()).is_ok() {
            eprintln!("interrupted");
            std::process::exit(130);
        }
    });
}

/// One size's files and databases.
struct Size {
    tables: usize,
    dir: PathBuf,
    base: Vec<PathBuf>,
    changed: Vec<PathBuf>,
}

impl Size {
    fn generate(bench_dir: &Path, tables: usize) -> Size {
        let dir = bench_dir.join(format!("tables-{tables}"));
        let write = |variant, name| {
            synth::write(&dir.join(name), tables, variant)
                .unwrap_or_else(|e| panic!("cannot write {name}: {e}"))
        };
        let base = write(Variant::Base, "base");
        let changed = write(Variant::Changed, "changed");
        Size { tables, dir, base, changed }
    }

    fn changed_dir(&self) -> PathBuf {
        self.dir.join("changed")
    }

    fn db(&self, role: &str) -> String {
        format!("{role}_{}", self.tables)
    }

    fn log(&self, name: &str) -> PathBuf {
        run::log_path(&self.dir, name)
    }
}

/// Databases this benchmark makes per size: the live one plans run
/// against (built from the base files), the floor's (built from the
/// changed files, so drift finds nothing), and in the smoke run a copy of
/// the live one to apply to.
const DATABASES: [&str; 3] = ["base", "floor", "apply"];

struct Bench {
    rt: Runtime,
    server: pg::Server,
    pgrecon: Pgrecon,
    lab: inproc::Lab,
    benchmarking: bool,
    /// How often whole commands run (the figure is the median).
    commands: Runs,
    dir: PathBuf,
    started: Instant,
}

impl Bench {
    fn progress(&self, size: &Size, what: &str) {
        let elapsed = self.started.elapsed().as_secs();
        eprintln!("[{:>3}:{:02}] {} tables: {what}", elapsed / 60, elapsed % 60, thousands(size.tables));
    }

    /// Elaboration, timed by hand: once where it takes long, up to three
    /// times where it is quick.
    fn elaborations(&self) -> Runs {
        Runs { min: 1, max: 3, ..self.commands }
    }

    fn measure(&mut self, size: &Size) -> SizeResult {
        self.progress(size, "loading the live database");
        self.server.recreate(&self.rt, &size.db("base"));
        self.server.psql_load(&size.db("base"), &size.base, &size.log("load-base"));
        if !self.benchmarking {
            // Copied now: a template must have no sessions, and the
            // in-process measurements open some.
            self.server.copy(&self.rt, &size.db("base"), &size.db("apply"));
        }
        self.progress(size, "in-process stages");
        let elaborations = self.elaborations();
        let stages = inproc::measure(
            &mut self.lab,
            &self.rt,
            &self.server,
            &size.db("base"),
            &size.changed_dir(),
            size.tables,
            elaborations,
        );
        self.progress(size, "floor (psql load + pg_dump) and pgrecon plan (cold), in turns");
        let (floor, plans) = self.floor_and_plan(size);
        self.progress(size, "pgrecon drift (warm)");
        let drift = self.drift_warm(size);
        if !self.benchmarking {
            self.progress(size, "pgrecon apply converges");
            self.apply_converges(size);
        }
        let plan_cold_s = secs(median_wall(&plans));
        let plan_floor_ratio = median_ratio(&plans, &floor.totals);
        SizeResult {
            tables: size.tables,
            introspection_s: secs(stages.introspection),
            catalog_statements: stages.catalog_statements,
            load_s: secs(stages.load),
            elaboration_s: secs(stages.elaboration),
            elaboration_runs: stages.elaboration_runs,
            diff_s: secs(stages.diff),
            ordering_s: secs(stages.diff_ordering.saturating_sub(stages.diff)),
            diff_ordering_s: secs(stages.diff_ordering),
            plan_steps: stages.plan_steps,
            hand_timed: stages.hand_timed,
            plan_cold_s,
            plan_cold_runs: plans.len(),
            floor_load_s: secs(floor.load),
            floor_dump_s: secs(floor.dump),
            floor_s: secs(floor.total),
            floor_runs: floor.runs,
            plan_floor_ratio,
            drift_warm_s: secs(drift.time),
            drift_warm_runs: drift.runs,
            drift_cache_filled: drift.cache_filled,
            peak_mb: run::peak_mb(&plans),
        }
    }

    /// The floor and a cold `pgrecon plan`, in turns: floor, plan, plan,
    /// floor, ... This machine's speed drifts by a third within minutes, so
    /// the ratio is taken within each pair (run back to back, on the same
    /// machine weather), and its median reported.
    fn floor_and_plan(&self, size: &Size) -> (Floor, Vec<Measured>) {
        // Which goes first alternates: the one after a psql load may meet
        // its checkpoint and autovacuum.
        let runs: Vec<((Duration, Duration), Measured)> = self.commands.repeat(|k| {
            if k % 2 == 0 {
                (self.floor_run(size), self.plan_cold_run(size, k))
            } else {
                let plan = self.plan_cold_run(size, k);
                (self.floor_run(size), plan)
            }
        });
        let floors: Vec<(Duration, Duration)> = runs.iter().map(|r| r.0).collect();
        let floor = Floor {
            load: median(floors.iter().map(|r| r.0).collect()),
            dump: median(floors.iter().map(|r| r.1).collect()),
            total: median(floors.iter().map(|r| r.0 + r.1).collect()),
            totals: floors.iter().map(|r| r.0 + r.1).collect(),
            runs: floors.len(),
        };
        (floor, runs.into_iter().map(|r| r.1).collect())
    }

    /// What building the desired schema and reading it back costs with
    /// PostgreSQL's own tools: psql loading the changed files into an empty
    /// database, plus one `pg_dump --schema-only`. The last copy stays, as
    /// the database drift is measured on.
    fn floor_run(&self, size: &Size) -> (Duration, Duration) {
        let db = size.db("floor");
        let out = size.dir.join("floor-dump.sql");
        self.server.recreate(&self.rt, &db);
        let load = self.server.psql_load(&db, &size.changed, &size.log("floor-load"));
        let dump = self.server.pg_dump_schema(&db, &out, &size.log("floor-dump"));
        (load.wall, dump.wall)
    }

    /// `pgrecon plan` of the changed files against the live database,
    /// without the elaborated-model cache; exit 2 (changes) expected.
    fn plan_cold_run(&self, size: &Size, k: usize) -> Measured {
        let (db, dev) = (self.server.url(&size.db("base")), self.server.url("postgres"));
        let mut plan = self.pgrecon.plan_cold(&db, &size.changed_dir(), &dev, &size.dir);
        run::expect(&mut plan, &size.log(&format!("plan-{k}")), &[2])
    }

    /// `pgrecon drift` against the database psql built from the same files
    /// (exit 0: no drift), once to fill the cache, then timed. A binary
    /// that wrote no cache has no warm runs: its one (cold) run is the
    /// figure, marked so.
    fn drift_warm(&self, size: &Size) -> Drift {
        let (db, dev) = (self.server.url(&size.db("floor")), self.server.url("postgres"));
        let _ = std::fs::remove_dir_all(binary::cache_dir(&size.dir));
        let drift = || self.pgrecon.command("drift", &db, &size.changed_dir(), &dev, &size.dir);
        let fill = run::expect(&mut drift(), &size.log("drift-fill"), &[0]);
        if !binary::cache_filled(&size.dir) {
            return Drift { time: fill.wall, runs: 1, cache_filled: false };
        }
        let runs =
            self.commands.repeat(|k| run::expect(&mut drift(), &size.log(&format!("drift-{k}")), &[0]));
        Drift { time: median_wall(&runs), runs: runs.len(), cache_filled: true }
    }

    /// Smoke test only: applying the changed files converges (a second plan
    /// has nothing to do).
    fn apply_converges(&self, size: &Size) {
        let (db, dev) = (self.server.url(&size.db("apply")), self.server.url("postgres"));
        let mut apply = self.pgrecon.command("apply", &db, &size.changed_dir(), &dev, &size.dir);
        run::expect(apply.arg("--yes"), &size.log("apply"), &[0]);
        let mut plan = self.pgrecon.plan_cold(&db, &size.changed_dir(), &dev, &size.dir);
        run::expect(&mut plan, &size.log("plan-after-apply"), &[0]);
    }

    fn drop_databases(&self, size: &Size) {
        for role in DATABASES {
            self.server.drop_database(&self.rt, &size.db(role));
        }
    }
}

/// The floor's median and its split into loading and dumping.
struct Floor {
    load: Duration,
    dump: Duration,
    total: Duration,
    /// Each run's total, in run order (paired with the plans).
    totals: Vec<Duration>,
    runs: usize,
}

/// The median of each plan's time over the floor run just before it.
fn median_ratio(plans: &[Measured], floors: &[Duration]) -> f64 {
    let mut ratios: Vec<f64> = plans.iter().zip(floors).map(|(p, f)| secs(p.wall) / secs(*f)).collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

struct Drift {
    time: Duration,
    runs: usize,
    cache_filled: bool,
}
