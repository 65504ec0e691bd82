//! `baton bench`: throughput of `Runtime::execute_batch` on the seeded
//! workloads of `baton-benches`, against thread count, with a serial
//! equivalence check on every run.
//!
//! Each *series* is one workload with one value of its knob (`--skew`,
//! `--hot`, `--fail-rate`, `--variant`; lists give several series). For
//! each series: generate the workload, count its conflicts, run it once on
//! one thread as the reference, then `--repeat` timed runs per thread
//! count (round after round over the thread counts, every other round in
//! reverse, so that a drifting host slows each alike), each on a fresh
//! runtime loaded with the workload (loading not timed; only the
//! `execute_batch` calls are). A run is serial-equivalent
//! when its final state hash and every result equal the reference's.
//!
//! Output: a table on stdout, or with `--json` exactly one JSON object on
//! stdout (see [`series_json`]). The progress bar goes to stderr, only when
//! stderr is a terminal and only once the command has run for two seconds,
//! with or without `--json`; so do a warning when a thread count passes
//! the host's cores and a hint when a series ran slower on several threads
//! than on one though it rarely conflicts (a busy host). Exit status: 0
//! when every run was serial-equivalent, 1 when one was not, 2 for bad
//! arguments (unknown workload or variant, a knob no workload asked for
//! takes or out of range, too few accounts, a `--plot` file that cannot be
//! written) or a workload that cannot load.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::{Arc, Barrier, OnceLock};
use std::time::{Duration, Instant};

use baton::{AccountsStore, StateHash, TransactionResult};
use baton_benches::{conflict_stats, generate, ConflictStats, Params, Workload, WORKLOAD_INFO};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value};

use crate::plot;
use report::{series_json, series_table};

mod args;
mod cpu;
mod report;
mod round_trip;

use args::{knob_of, plan, Series};
pub use args::{BenchArgs, OnOff};

/// One timed (or reference) run.
struct Run {
    elapsed: Duration,
    /// The CPU time of the timed batches per transaction (see [`cpu`]).
    cpu_per_tx: Option<Duration>,
    /// Each batch's throughput, transactions per second.
    batch_rates: Vec<f64>,
    /// The state hash at the end; `None` for a side of the shared pair,
    /// whose store the other side was still writing.
    hash: Option<StateHash>,
    results: Vec<TransactionResult>,
}

impl Run {
    /// This run with the state hash of `rt`, the runtime it ran on.
    fn with_hash_of(self, rt: &baton::Runtime) -> Run {
        Run {
            hash: Some(rt.state_hash()),
            ..self
        }
    }

    /// Whether this run ended as `reference` did: the same state hash and
    /// every result the same (serial equivalence).
    fn ends_as(&self, reference: &Run) -> bool {
        self.hash.is_some() && self.hash == reference.hash && self.results == reference.results
    }
}

/// The figures of one thread count.
struct ThreadRuns {
    threads: usize,
    median: Duration,
    min: Duration,
    max: Duration,
    /// The median throughput of a batch, over every batch of every run.
    batch_median: f64,
    /// Whether every run ended as the serial one; `None` where that is not
    /// checked (the shared pair).
    equal: Option<bool>,
    /// With `--pair`: the median over rounds of this run's throughput over
    /// the pair's in the same round.
    of_pair: Option<f64>,
    /// With `--shared-pair`: the same over the shared pair's.
    of_shared_pair: Option<f64>,
    /// The median over rounds of the CPU time (every thread's) of the
    /// timed batches per transaction, where the kernel tells it.
    cpu_per_tx: Option<Duration>,
}

/// Everything measured for one series.
struct Report {
    workload: Workload,
    params: Params,
    conflicts: ConflictStats,
    succeeded: usize,
    hash: StateHash,
    runs: Vec<ThreadRuns>,
    /// With `--pair`: the pair's runs, each round's time that of one run
    /// at the two sides' rates added up (`threads` 1).
    pair: Option<ThreadRuns>,
    /// With `--shared-pair`: the shared pair's, alike.
    shared_pair: Option<ThreadRuns>,
    /// With `--pair` or `--shared-pair`: a cache line's round trip between
    /// two threads, in ns, measured before each round (see `round_trip.rs`).
    round_trips: Vec<f64>,
}

impl Report {
    /// Whether no checked run differed from the serial one.
    fn serial_equivalent(&self) -> bool {
        self.runs
            .iter()
            .chain(&self.pair)
            .all(|r| r.equal != Some(false))
    }

    fn tx_per_sec(&self, d: Duration) -> f64 {
        self.workload.txs.len() as f64 / d.as_secs_f64().max(1e-9)
    }

    /// `t`'s throughput relative to the first thread count's, by median run
    /// total and by median batch.
    fn speedups(&self, t: &ThreadRuns) -> (f64, f64) {
        match self.runs.first() {
            Some(base) => (
                self.tx_per_sec(t.median) / self.tx_per_sec(base.median),
                t.batch_median / base.batch_median.max(1e-9),
            ),
            None => (1.0, 1.0),
        }
    }
}

/// The progress bar: hidden at first, drawn on stderr once the command has
/// run for [`Progress::DELAY`] and only if stderr is a terminal.
struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: bool,
    tty: bool,
}

impl Progress {
    const DELAY: Duration = Duration::from_secs(2);

    /// A bar never drawn, for runs whose progress is counted elsewhere.
    fn hidden() -> Self {
        Self {
            bar: ProgressBar::hidden(),
            start: Instant::now(),
            shown: false,
            tty: false,
        }
    }

    fn new(total: u64) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {percent:>3}% {msg} (eta {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Self {
            bar,
            start: Instant::now(),
            shown: false,
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn inc(&mut self, n: u64) {
        self.bar.inc(n);
        if !self.shown && self.tty && self.start.elapsed() >= Self::DELAY {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    fn message(&self, msg: String) {
        self.bar.set_message(msg);
    }

    /// Print a line on stdout without tearing the bar.
    fn println(&self, line: &str) {
        self.bar.suspend(|| println!("{line}"));
    }

    /// Print a line on stderr without tearing the bar.
    fn eprintln(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A runtime of `threads` threads for `w`, its pool started: loaded with
/// `w`'s accounts, or on `store` (another runtime's, already holding them;
/// see [`Workload::runtime_on`]).
fn load(
    w: &Workload,
    threads: usize,
    sigverify: bool,
    store: Option<Arc<dyn AccountsStore>>,
) -> Result<baton::Runtime, String> {
    let rt = match store {
        Some(store) => w.runtime_on(store, threads, sigverify),
        None => w.runtime(threads, sigverify),
    };
    let mut rt = rt.map_err(|e| format!("cannot load the workload: {e}"))?;
    // Start the worker pool before timing.
    rt.execute_batch(&[]);
    Ok(rt)
}

/// Run `w` on `rt`: `execute_batch` per chunk of `batch`, timing only
/// those calls, and reading the CPU time of `cpu_scope` around each (so
/// that what threads do between batches, such as a pool's linger, is not
/// counted). The transactions go from `from` to the end, then from the
/// start to `from` (0: in order). The state hash is left to the caller
/// ([`Run::hash`]).
fn timed(
    rt: &mut baton::Runtime,
    w: &Workload,
    from: usize,
    batch: usize,
    cpu_scope: cpu::Scope,
    progress: &mut Progress,
) -> Run {
    let mut elapsed = Duration::ZERO;
    let mut cpu_time = Some(Duration::ZERO);
    let mut batch_rates = Vec::new();
    let mut results = Vec::with_capacity(w.txs.len());
    let (first, second) = w.txs.split_at(from.min(w.txs.len()));
    for chunk in second
        .chunks(batch.max(1))
        .chain(first.chunks(batch.max(1)))
    {
        let cpu_before = cpu::used(cpu_scope);
        let start = Instant::now();
        let r = rt.execute_batch(chunk);
        let took = start.elapsed();
        cpu_time = match (cpu_time, cpu_before, cpu::used(cpu_scope)) {
            (Some(sum), Some(a), Some(b)) => Some(sum + b.saturating_sub(a)),
            _ => None,
        };
        elapsed += took;
        batch_rates.push(chunk.len() as f64 / took.as_secs_f64().max(1e-9));
        results.extend(r);
        progress.inc(chunk.len() as u64);
    }
    Run {
        elapsed,
        cpu_per_tx: cpu::per_tx(cpu_time, w.txs.len()),
        batch_rates,
        hash: None,
        results,
    }
}

/// Run `w` once on a fresh runtime of `threads` threads.
fn run_once(
    w: &Workload,
    threads: usize,
    sigverify: bool,
    batch: usize,
    progress: &mut Progress,
) -> Result<Run, String> {
    let mut rt = load(w, threads, sigverify, None)?;
    Ok(timed(&mut rt, w, 0, batch, cpu::Scope::Process, progress).with_hash_of(&rt))
}

/// Where the runtimes of a pair keep their accounts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PairStore {
    /// Each its own copy of the state: what independent single-thread
    /// executions reach together on this host at this moment, the ceiling
    /// of a run on as many threads.
    Own,
    /// One store, the others' runtimes on the first's: executions that
    /// share the state and nothing else (no order, no hand-offs), each
    /// starting at its own place in the transactions so that they are not
    /// at one account at the same moment.
    Shared,
}

/// `n` one-thread runs of `w` side by side, each on a runtime and a thread
/// of its own (its stores as `store` says), their timed parts started
/// together. Runs on their own stores go through the transactions in order
/// and end with their state hashes; on a shared one, run `k` starts `k/n`
/// of the way in, and none is hashed (no side's state is the serial
/// one's).
fn run_pair(
    w: &Workload,
    n: usize,
    store: PairStore,
    sigverify: bool,
    batch: usize,
    progress: &mut Progress,
) -> Result<Vec<Run>, String> {
    let shared = store == PairStore::Shared;
    // The first run's store, once it loaded (`None` if it failed), for the
    // others to share.
    let first_store: OnceLock<Option<Arc<dyn AccountsStore>>> = OnceLock::new();
    let first_loaded = Barrier::new(n);
    let start = Barrier::new(n);
    let side = |k: usize| {
        let load_side = || {
            if shared && k > 0 {
                let Some(Some(store)) = first_store.get() else {
                    return Err("the shared pair's first runtime did not load".to_string());
                };
                load(w, 1, sigverify, Some(Arc::clone(store)))
            } else {
                load(w, 1, sigverify, None)
            }
        };
        if shared && k > 0 {
            first_loaded.wait();
        }
        // Every side passes the barriers, loaded or not (a panic while
        // loading included), so that none waits there forever.
        let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(load_side))
            .unwrap_or_else(|_| Err("loading a runtime of the pair panicked".into()));
        if shared && k == 0 {
            let _ = first_store.set(loaded.as_ref().ok().map(|rt| Arc::clone(rt.store())));
            first_loaded.wait();
        }
        start.wait();
        // A one-thread runtime runs its batches on this thread: its own
        // CPU time is the side's.
        loaded.map(|mut rt| {
            let from = if shared { w.txs.len() * k / n } else { 0 };
            let mut hidden = Progress::hidden();
            let run = timed(&mut rt, w, from, batch, cpu::Scope::Thread, &mut hidden);
            if shared {
                run
            } else {
                run.with_hash_of(&rt)
            }
        })
    };
    let runs: Vec<Result<Run, String>> = std::thread::scope(|s| {
        let others: Vec<_> = (1..n).map(|k| s.spawn(move || side(k))).collect();
        let mut runs = vec![side(0)];
        runs.extend(others.into_iter().map(|h| {
            h.join()
                .unwrap_or_else(|_| Err("a run of the pair panicked".into()))
        }));
        runs
    });
    progress.inc((n * w.txs.len()) as u64);
    runs.into_iter().collect()
}

/// What the timed runs of one thread count (or of the pair) gave so far.
struct PerCount {
    /// Each round's time: a run's total, or the pair's two totals added up
    /// as rates (see [`PerCount::add_pair`]).
    times: Vec<Duration>,
    rates: Vec<f64>,
    /// Whether every run ended as the serial one; `None` once a round was
    /// not checked (the shared pair's).
    equal: Option<bool>,
    /// Each round's CPU time per transaction; `None` once a round had no
    /// figure.
    cpu_per_tx: Option<Vec<Duration>>,
}

impl Default for PerCount {
    fn default() -> Self {
        Self {
            times: Vec::new(),
            rates: Vec::new(),
            cpu_per_tx: Some(Vec::new()),
            equal: Some(true),
        }
    }
}

impl PerCount {
    fn add(&mut self, r: &Run, reference: &Run) {
        self.equal = self.equal.map(|e| e && r.ends_as(reference));
        self.times.push(r.elapsed);
        self.rates.extend(r.batch_rates.iter().copied());
        self.add_cpu(r.cpu_per_tx);
    }

    /// A round's CPU time per transaction, or that it had none.
    fn add_cpu(&mut self, per_tx: Option<Duration>) {
        self.cpu_per_tx = match (self.cpu_per_tx.take(), per_tx) {
            (Some(mut v), Some(c)) => {
                v.push(c);
                Some(v)
            }
            _ => None,
        };
    }

    /// A pair's round: its rate is the sum of its runs' rates (what
    /// `ceiling.sh` adds up for two processes), kept as the time one run of
    /// the workload would take at that rate. Every run is checked against
    /// `reference`, if given.
    fn add_pair(&mut self, runs: &[Run], reference: Option<&Run>) {
        let rate: f64 = runs
            .iter()
            .map(|r| 1.0 / r.elapsed.as_secs_f64().max(1e-9))
            .sum();
        self.equal = match (self.equal, reference) {
            (Some(e), Some(r)) => Some(e && runs.iter().all(|run| run.ends_as(r))),
            _ => None,
        };
        self.times
            .push(Duration::from_secs_f64(1.0 / rate.max(1e-9)));
        // The runs' batch rates, added batch by batch (as many as the
        // fewest: a run that started mid-list has one batch more).
        let batches = runs.iter().map(|r| r.batch_rates.len()).min().unwrap_or(0);
        self.rates.extend((0..batches).map(|b| {
            runs.iter()
                .filter_map(|r| r.batch_rates.get(b))
                .sum::<f64>()
        }));
        // Every run ran as many transactions.
        let cpu: Option<Vec<Duration>> = runs.iter().map(|r| r.cpu_per_tx).collect();
        let count = u32::try_from(runs.len()).ok().filter(|&c| c > 0);
        self.add_cpu(cpu.zip(count).map(|(v, c)| v.iter().sum::<Duration>() / c));
    }

    /// Each round's throughput, transactions per second, in round order.
    fn round_rates(&self, txs: usize) -> Vec<f64> {
        self.times
            .iter()
            .map(|t| txs as f64 / t.as_secs_f64().max(1e-9))
            .collect()
    }

    /// The figures over every round, with the shares of the pairs' rates
    /// `of_pair` and `of_shared_pair` (see [`median_ratio`]).
    fn summary(
        mut self,
        threads: usize,
        of_pair: Option<f64>,
        of_shared_pair: Option<f64>,
    ) -> ThreadRuns {
        self.times.sort();
        ThreadRuns {
            threads,
            median: middle(&self.times).unwrap_or_default(),
            min: self.times.first().copied().unwrap_or_default(),
            max: self.times.last().copied().unwrap_or_default(),
            batch_median: median(self.rates),
            equal: self.equal,
            of_pair,
            of_shared_pair,
            cpu_per_tx: self.cpu_per_tx.and_then(|mut v| {
                v.sort();
                middle(&v)
            }),
        }
    }
}

/// The middle of sorted `xs` (the upper one of an even count), if any.
fn middle<T: Copy>(sorted: &[T]) -> Option<T> {
    sorted.get(sorted.len() / 2).copied()
}

/// The median of `xs` (the upper one of an even count), 0 if empty.
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    middle(&xs).unwrap_or(0.0)
}

/// The median over rounds of `a`'s rate over `b`'s in the same round.
fn median_ratio(a: &[f64], b: &[f64]) -> f64 {
    median(a.iter().zip(b).map(|(x, y)| x / y.max(1e-9)).collect())
}

/// Generate and measure one series.
fn measure(s: &Series, args: &BenchArgs, progress: &mut Progress) -> Result<Report, String> {
    let sigverify = matches!(args.sigverify, OnOff::On);
    progress.message(format!("{}: generating", s.name));
    let w = generate(&s.name, &s.params).map_err(|e| e.to_string())?;
    let conflicts = conflict_stats(&w.txs, args.batch);
    progress.message(format!("{}: serial reference", w.label));
    let reference = run_once(&w, 1, sigverify, args.batch, progress)?;
    let succeeded = reference
        .results
        .iter()
        .filter(|r| r.status.is_ok())
        .count();
    // The timed runs go round the thread counts (and the pairs, with
    // `--pair` and `--shared-pair`), the order reversed every other round,
    // so that a host whose speed drifts (a noisy neighbour coming and
    // going) slows every thread count alike, and their ratios stay
    // comparable.
    let mut per_count: Vec<PerCount> = args.threads.iter().map(|_| PerCount::default()).collect();
    let mut pair = args.pair.map(|_| PerCount::default());
    let mut shared_pair = args.shared_pair.map(|_| PerCount::default());
    let mut slots: Vec<Slot> = (0..args.threads.len()).map(Slot::Threads).collect();
    slots.extend(args.pair.map(|_| Slot::Pair(PairStore::Own)));
    slots.extend(args.shared_pair.map(|_| Slot::Pair(PairStore::Shared)));
    let mut round_trips = Vec::new();
    for i in 0..args.repeat {
        if args.pair.is_some() || args.shared_pair.is_some() {
            round_trips.push(round_trip::round_trip_ns());
        }
        let mut order = slots.clone();
        if i % 2 == 1 {
            order.reverse();
        }
        let round = format!("run {}/{}", i + 1, args.repeat);
        for slot in order {
            match slot {
                Slot::Threads(k) => {
                    if let (Some(&threads), Some(acc)) = (args.threads.get(k), per_count.get_mut(k))
                    {
                        progress.message(format!("{}: {threads} threads, {round}", w.label));
                        let r = run_once(&w, threads, sigverify, args.batch, progress)?;
                        acc.add(&r, &reference);
                    }
                }
                Slot::Pair(store) => {
                    let (acc, n, checked, place) = match store {
                        PairStore::Own => (pair.as_mut(), args.pair, Some(&reference), ""),
                        PairStore::Shared => (
                            shared_pair.as_mut(),
                            args.shared_pair,
                            None,
                            " on one store",
                        ),
                    };
                    if let (Some(acc), Some(n)) = (acc, n) {
                        progress.message(format!(
                            "{}: {n} 1-thread runs side by side{place}, {round}",
                            w.label
                        ));
                        let runs = run_pair(&w, n, store, sigverify, args.batch, progress)?;
                        acc.add_pair(&runs, checked);
                    }
                }
            }
        }
    }
    let txs = w.txs.len();
    let pair_rounds = pair.as_ref().map(|p| p.round_rates(txs));
    let shared_rounds = shared_pair.as_ref().map(|p| p.round_rates(txs));
    let share = |of: &Option<Vec<f64>>, acc: &PerCount| {
        of.as_ref().map(|p| median_ratio(&acc.round_rates(txs), p))
    };
    let runs = args
        .threads
        .iter()
        .zip(per_count)
        .map(|(&threads, acc)| {
            let (of_pair, of_shared) = (share(&pair_rounds, &acc), share(&shared_rounds, &acc));
            acc.summary(threads, of_pair, of_shared)
        })
        .collect();
    let pair = pair.map(|acc| acc.summary(1, None, None));
    let shared_pair = shared_pair.map(|acc| {
        let of_pair = share(&pair_rounds, &acc);
        acc.summary(1, of_pair, None)
    });
    Ok(Report {
        workload: w,
        params: s.params.clone(),
        conflicts,
        succeeded,
        // The reference run always ends with its hash.
        hash: reference.hash.unwrap_or_default(),
        runs,
        pair,
        shared_pair,
        round_trips,
    })
}

/// One timed run of a round: a thread count (its index in `--threads`),
/// or a pair (on its own stores, or the shared pair).
#[derive(Clone, Copy)]
enum Slot {
    Threads(usize),
    Pair(PairStore),
}

/// `baton bench --list`: a line per workload, or with `--json` one
/// object, `{"workloads": [...]}`, each `{name, summary, knob, default,
/// variants, default_accounts, min_accounts}` (`knob`: the flag it takes,
/// `null` for none; `default`: the knob's default).
fn list(json: bool) {
    if json {
        let d = Params::default();
        let workloads: Vec<Value> = WORKLOAD_INFO
            .iter()
            .map(|i| {
                let knob = knob_of(i.name);
                let default = match knob {
                    Some("--skew") => json!(d.skew),
                    Some("--hot") => json!(d.hot),
                    Some("--fail-rate") => json!(d.fail_rate),
                    Some(_) => json!(i.variants.first()),
                    None => Value::Null,
                };
                json!({
                    "name": i.name,
                    "summary": i.summary,
                    "knob": knob,
                    "default": default,
                    "variants": i.variants,
                    "default_accounts": i.default_accounts,
                    "min_accounts": i.min_accounts,
                })
            })
            .collect();
        println!("{}", json!({ "workloads": workloads }));
        return;
    }
    for i in WORKLOAD_INFO {
        let knobs = if i.knobs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", i.knobs)
        };
        println!("{:<18} {}{knobs}", i.name, i.summary);
    }
}

/// The warning printed when a thread count passes the cores of the host.
fn oversubscribed(threads: &[usize], cores: usize) -> Option<String> {
    let most = threads.iter().copied().max()?;
    (most > cores).then(|| {
        format!(
            "warning: --threads {most} is more than the {cores} cores of this machine: \
             runs past {cores} threads measure time slicing, not scaling"
        )
    })
}

/// The warning printed when a pair (`sizes`: `--pair`'s, `--shared-pair`'s)
/// runs more runtimes side by side than the host has cores.
fn pairs_oversubscribed(sizes: [Option<usize>; 2], cores: usize) -> Option<String> {
    let most = sizes.into_iter().flatten().max()?;
    (most > cores).then(|| {
        format!(
            "warning: a pair of {most} runtimes side by side is more than the {cores} cores \
             of this machine: it measures time slicing, not a ceiling"
        )
    })
}

/// The hint printed when a series ran slower on several threads than on
/// one though its transactions rarely conflict: `runs` are `(threads,
/// transactions per second)`, `conflict_share` the share that waits for
/// another. Thread counts past `cores` are left to [`oversubscribed`].
fn slow_hint(
    label: &str,
    runs: &[(usize, f64)],
    conflict_share: f64,
    cores: usize,
) -> Option<String> {
    if conflict_share >= 0.5 {
        return None;
    }
    let one = runs.iter().find(|r| r.0 == 1)?.1;
    let (t, tps) = runs
        .iter()
        .copied()
        .find(|&(t, tps)| t > 1 && t <= cores && tps < one)?;
    Some(format!(
        "hint: {label}: {t} threads ran slower than 1 ({tps:.0} against {one:.0} tx/s) \
         though few of its transactions conflict; the host is probably busy \
         (other processes on its cores): rerun when it is idle"
    ))
}

/// Run `baton bench`. Exit status: 0 when every run was serial-equivalent,
/// 1 when one was not, 2 for bad arguments, a plot that cannot be written
/// (checked before the run, and when drawn) or a workload that cannot load.
pub fn run(args: BenchArgs) -> ExitCode {
    if args.list {
        list(args.json);
        return ExitCode::SUCCESS;
    }
    baton::scheduler::set_serial_fallback(matches!(args.serial_fallback, OnOff::On));
    let series = match plan(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &args.plot {
        if let Err(e) = plot::check_path(path) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if let Some(w) = oversubscribed(&args.threads, cores) {
        eprintln!("{w}");
    }
    if let Some(w) = pairs_oversubscribed([args.pair, args.shared_pair], cores) {
        eprintln!("{w}");
    }
    // The reference run, the timed runs, and two more each round for each
    // pair.
    let pairs = args.pair.unwrap_or(0) + args.shared_pair.unwrap_or(0);
    let runs = 1 + (args.threads.len() + pairs) * args.repeat;
    let per_series = runs as u64 * args.txs as u64;
    let mut progress = Progress::new(per_series * series.len() as u64);
    let mut reports = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let report = match measure(s, &args, &mut progress) {
            Ok(r) => r,
            Err(e) => {
                progress.finish();
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        if !args.json {
            if i > 0 {
                progress.println("");
            }
            for line in series_table(&report, &args) {
                progress.println(&line);
            }
        }
        let rates: Vec<(usize, f64)> = report
            .runs
            .iter()
            .map(|t| (t.threads, report.tx_per_sec(t.median)))
            .collect();
        let share = report.conflicts.share();
        if let Some(hint) = slow_hint(&report.workload.label, &rates, share, cores) {
            progress.eprintln(&hint);
        }
        reports.push(report);
    }
    progress.finish();

    let all_equal = reports.iter().all(Report::serial_equivalent);
    if args.json {
        let mut objs: Vec<Value> = reports.iter().map(|r| series_json(r, &args)).collect();
        let out = if objs.len() == 1 {
            objs.remove(0)
        } else {
            json!({ "series": objs, "serial_equivalent": all_equal })
        };
        println!("{out}");
    }
    let mut status = ExitCode::SUCCESS;
    if let Some(path) = &args.plot {
        let lines: Vec<plot::Line> = reports
            .iter()
            .map(|r| plot::Line {
                label: r.workload.label.clone(),
                points: r
                    .runs
                    .iter()
                    .map(|t| (t.threads, r.tx_per_sec(t.median)))
                    .collect(),
            })
            .collect();
        match plot::draw(path, &lines) {
            Ok(()) if !args.json => println!("plot written to {}", path.display()),
            Ok(()) => {}
            Err(e) => {
                eprintln!("{e}");
                status = ExitCode::from(2);
            }
        }
    }
    if !all_equal {
        eprintln!("a parallel run differed from the serial run");
        return ExitCode::FAILURE;
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_hint_only_when_parallel_is_slower_and_conflicts_are_few() {
        let slower = [(1, 1000.0), (2, 900.0)];
        let faster = [(1, 1000.0), (2, 1500.0)];
        let hint = slow_hint("w", &slower, 0.1, 2).unwrap_or_default();
        assert!(hint.contains("2 threads ran slower than 1"), "{hint}");
        assert!(hint.contains("900 against 1000"), "{hint}");
        assert_eq!(slow_hint("w", &faster, 0.1, 2), None);
        // Heavy conflicts explain it; past the cores the warning does.
        assert_eq!(slow_hint("w", &slower, 0.9, 2), None);
        assert_eq!(slow_hint("w", &slower, 0.1, 1), None);
        // No one-thread run, nothing to compare with.
        assert_eq!(slow_hint("w", &[(2, 1.0), (4, 0.5)], 0.0, 8), None);
    }

    #[test]
    fn medians_of_round_ratios_pair_rounds_up() {
        assert_eq!(median(vec![]), 0.0);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        // Round by round: 0.5, 2.0, 1.0 (not the ratio of the medians).
        assert_eq!(median_ratio(&[1.0, 8.0, 3.0], &[2.0, 4.0, 3.0]), 1.0);
    }

    #[test]
    fn a_pair_round_adds_the_two_rates() {
        let run = |ms: u64, hash: StateHash| Run {
            elapsed: Duration::from_millis(ms),
            cpu_per_tx: Some(Duration::from_micros(ms)),
            batch_rates: vec![10.0, 20.0],
            hash: Some(hash),
            results: Vec::new(),
        };
        let h = StateHash::default();
        let mut acc = PerCount::default();
        // 1/0.1 s + 1/0.4 s = 12.5 runs per second: 80 ms a run.
        acc.add_pair(&[run(100, h), run(400, h)], Some(&run(1, h)));
        assert_eq!(acc.times, vec![Duration::from_millis(80)]);
        assert_eq!(acc.rates, vec![20.0, 40.0]);
        assert_eq!(acc.equal, Some(true));
        assert_eq!(acc.round_rates(1000), vec![12_500.0]);
        // The two sides' CPU per transaction, averaged: (100 + 400) / 2 µs.
        assert_eq!(acc.cpu_per_tx, Some(vec![Duration::from_micros(250)]));
        let other = StateHash([1; 32]);
        acc.add_pair(&[run(100, h), run(100, other)], Some(&run(1, h)));
        assert_eq!(acc.equal, Some(false));
        let summary = acc.summary(1, None, None);
        assert_eq!(summary.cpu_per_tx, Some(Duration::from_micros(250)));
        assert_eq!(summary.equal, Some(false));
    }

    /// The shared pair's rounds are not checked: its summary says so
    /// (`equal` none, shown as `-`) whatever its sides' hashes, and a
    /// series with it stays serial-equivalent when every checked run is.
    #[test]
    fn a_shared_pair_round_is_not_checked() {
        let run = |hash: Option<StateHash>| Run {
            elapsed: Duration::from_millis(100),
            cpu_per_tx: None,
            batch_rates: vec![10.0],
            hash,
            results: Vec::new(),
        };
        let reference = run(Some(StateHash::default()));
        // A side without a hash never ends as the reference did.
        assert!(!run(None).ends_as(&reference));
        assert!(run(Some(StateHash::default())).ends_as(&reference));
        let mut acc = PerCount::default();
        acc.add_pair(&[run(None), run(None)], None);
        let shared = acc.summary(1, Some(0.9), None);
        assert_eq!(shared.equal, None);
        assert_eq!(shared.of_pair, Some(0.9));
        let mut checked = PerCount::default();
        checked.add_pair(&[run(None), run(None)], Some(&reference));
        assert_eq!(checked.summary(1, None, None).equal, Some(false));
    }

    /// The CPU figure is the median over rounds, and none at all once a
    /// round had none (a median of the rounds that had one would mix in
    /// what it left out).
    #[test]
    fn cpu_per_transaction_is_a_median_and_all_or_nothing() {
        let run = |cpu_us: Option<u64>| Run {
            elapsed: Duration::from_millis(1),
            cpu_per_tx: cpu_us.map(Duration::from_micros),
            batch_rates: Vec::new(),
            hash: Some(StateHash::default()),
            results: Vec::new(),
        };
        let reference = run(None);
        let mut acc = PerCount::default();
        for us in [3, 1, 2] {
            acc.add(&run(Some(us)), &reference);
        }
        let mut without = PerCount::default();
        without.add(&run(Some(1)), &reference);
        without.add(&run(None), &reference);
        without.add(&run(Some(2)), &reference);
        assert_eq!(
            acc.summary(2, None, None).cpu_per_tx,
            Some(Duration::from_micros(2))
        );
        assert_eq!(without.summary(2, None, None).cpu_per_tx, None);
    }

    /// A pair of N runs adds N rates; batch by batch as many batches as
    /// its shortest run had; the CPU figure is the runs' mean.
    #[test]
    fn a_pair_of_more_runs_adds_every_rate() {
        let run = |ms: u64, batches: &[f64]| Run {
            elapsed: Duration::from_millis(ms),
            cpu_per_tx: Some(Duration::from_micros(ms)),
            batch_rates: batches.to_vec(),
            hash: None,
            results: Vec::new(),
        };
        let mut acc = PerCount::default();
        let runs = [
            run(100, &[1.0, 2.0, 3.0]),
            run(200, &[10.0, 20.0]),
            run(400, &[100.0, 200.0, 300.0]),
        ];
        acc.add_pair(&runs, None);
        // 10 + 5 + 2.5 runs per second: 57.14 ms a run.
        let rates = acc.round_rates(1000);
        assert!(
            rates.len() == 1 && (rates[0] - 17_500.0).abs() < 1e-3,
            "{rates:?}"
        );
        assert_eq!(acc.rates, vec![111.0, 222.0]);
        let mean = Duration::from_micros(100 + 200 + 400) / 3;
        assert_eq!(acc.cpu_per_tx, Some(vec![mean]));
        assert_eq!(acc.summary(1, None, None).equal, None);
    }

    #[test]
    fn pairs_past_the_cores_are_warned_of() {
        assert_eq!(pairs_oversubscribed([None, None], 2), None);
        assert_eq!(pairs_oversubscribed([Some(2), Some(2)], 2), None);
        let w = pairs_oversubscribed([Some(2), Some(16)], 4).unwrap_or_default();
        assert!(w.contains("16 runtimes") && w.contains("4 cores"), "{w}");
    }

    #[test]
    fn oversubscribed_names_the_count_and_the_cores() {
        assert_eq!(oversubscribed(&[1, 2], 2), None);
        let w = oversubscribed(&[1, 8, 3], 4).unwrap_or_default();
        assert!(
            w.starts_with("warning: --threads 8") && w.contains("4 cores"),
            "{w}"
        );
    }
}
