//! `baton bench`: throughput of `Runtime::execute_batch` on the seeded
//! workloads of `baton-benches`, against thread count, with a serial
//! equivalence check on every run.
//!
//! Each *series* is one workload with one value of its knob (`--skew`,
//! `--hot`, `--fail-rate`, `--variant`; lists give several series). For
//! each series: generate the workload, count its conflicts, run it once on
//! one thread as the reference, then `--repeat` timed runs per thread
//! count, each on a fresh runtime loaded with the workload (loading not
//! timed; only the `execute_batch` calls are). A run is serial-equivalent
//! when its final state hash and every result equal the reference's.
//!
//! Output: a table on stdout, or with `--json` exactly one JSON object on
//! stdout (see [`series_json`]). The progress bar goes to stderr, only when
//! stderr is a terminal and only once the command has run for two seconds,
//! with or without `--json`. Exit status: 0 when every run was
//! serial-equivalent, 1 when one was not (or the plot failed), 2 for bad
//! arguments (unknown workload, variant or knob out of range).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use baton::{StateHash, TransactionResult};
use baton_benches::{
    conflict_stats, generate, info, ConflictStats, Params, Workload, WORKLOAD_INFO,
};
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value};

use crate::plot;
use report::{series_json, series_table};

mod report;

/// On or off.
#[derive(Clone, Copy, ValueEnum)]
pub enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

/// The options of `baton bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Workloads to run, comma separated (see --list).
    #[arg(long, value_delimiter = ',', default_value = "uniform-transfers")]
    workload: Vec<String>,
    /// Transactions per run.
    #[arg(long, default_value_t = 200_000)]
    txs: usize,
    /// Funded fee payers [default: 100000; 10000 for large-writes].
    #[arg(long)]
    accounts: Option<usize>,
    /// Thread counts to run, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 2])]
    threads: Vec<usize>,
    /// Transactions per `execute_batch` call.
    #[arg(long, default_value_t = 10_000)]
    batch: usize,
    /// Signature verification.
    #[arg(long, value_enum, default_value = "off")]
    sigverify: OnOff,
    /// Timed runs per thread count; the median is reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// zipf-transfers: Zipf exponents, comma separated (one series each).
    #[arg(long, value_delimiter = ',', default_values_t = [1.0f64])]
    skew: Vec<f64>,
    /// hot-account: numbers of hot accounts, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize])]
    hot: Vec<usize>,
    /// cpi-chain: shares of transactions failing at the bottom, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.1f64])]
    fail_rate: Vec<f64>,
    /// token-cpi (uniform, hot-mint) and large-writes (write, read-shared):
    /// variants, comma separated [default: the first].
    #[arg(long, value_delimiter = ',')]
    variant: Vec<String>,
    /// Print one JSON object on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// Draw throughput against threads, one line per series, to FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// List the workloads and exit.
    #[arg(long)]
    list: bool,
}

/// One series to run: a workload and its parameters.
struct Series {
    name: String,
    params: Params,
}

/// One timed (or reference) run.
struct Run {
    elapsed: Duration,
    /// Each batch's throughput, transactions per second.
    batch_rates: Vec<f64>,
    hash: StateHash,
    results: Vec<TransactionResult>,
}

/// The figures of one thread count.
struct ThreadRuns {
    threads: usize,
    median: Duration,
    min: Duration,
    max: Duration,
    /// The median throughput of a batch, over every batch of every run.
    batch_median: f64,
    equal: bool,
}

/// Everything measured for one series.
struct Report {
    workload: Workload,
    params: Params,
    conflicts: ConflictStats,
    succeeded: usize,
    hash: StateHash,
    runs: Vec<ThreadRuns>,
}

impl Report {
    fn serial_equivalent(&self) -> bool {
        self.runs.iter().all(|r| r.equal)
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

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Run `w` once: a fresh runtime, then `execute_batch` per chunk of
/// `batch`, timing only those calls.
fn run_once(
    w: &Workload,
    threads: usize,
    sigverify: bool,
    batch: usize,
    progress: &mut Progress,
) -> Result<Run, String> {
    let mut rt = w
        .runtime(threads, sigverify)
        .map_err(|e| format!("cannot load the workload: {e}"))?;
    // Start the worker pool before timing.
    rt.execute_batch(&[]);
    let mut elapsed = Duration::ZERO;
    let mut batch_rates = Vec::new();
    let mut results = Vec::with_capacity(w.txs.len());
    for chunk in w.txs.chunks(batch.max(1)) {
        let start = Instant::now();
        let r = rt.execute_batch(chunk);
        let took = start.elapsed();
        elapsed += took;
        batch_rates.push(chunk.len() as f64 / took.as_secs_f64().max(1e-9));
        results.extend(r);
        progress.inc(chunk.len() as u64);
    }
    Ok(Run {
        elapsed,
        batch_rates,
        hash: rt.state_hash(),
        results,
    })
}

/// The series the arguments ask for, checked: each workload with each
/// value of the knob it uses.
fn plan(args: &BenchArgs) -> Result<Vec<Series>, String> {
    let sign = matches!(args.sigverify, OnOff::On);
    if args.threads.is_empty() || args.threads.contains(&0) {
        return Err("--threads must list thread counts of 1 or more".into());
    }
    if args.repeat == 0 || args.batch == 0 || args.txs == 0 {
        return Err("--txs, --batch and --repeat must be at least 1".into());
    }
    // A variant must belong to one of the workloads asked for.
    for v in &args.variant {
        let known = args
            .workload
            .iter()
            .filter_map(|w| info(w))
            .any(|i| i.variants.contains(&v.as_str()));
        if !known && args.workload.iter().all(|w| info(w).is_some()) {
            return Err(format!(
                "no workload asked for has variant '{v}'; variants: {}",
                WORKLOAD_INFO
                    .iter()
                    .filter(|i| !i.variants.is_empty())
                    .map(|i| format!("{} ({})", i.name, i.variants.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    let mut out = Vec::new();
    for name in &args.workload {
        let base = Params {
            txs: args.txs,
            accounts: args
                .accounts
                .unwrap_or_else(|| info(name).map_or(100_000, |i| i.default_accounts)),
            sign,
            seed: args.seed,
            ..Params::default()
        };
        let knobs: Vec<Params> = match info(name) {
            None => vec![base],
            Some(i) if i.name == "zipf-transfers" => args
                .skew
                .iter()
                .map(|&skew| Params {
                    skew,
                    ..base.clone()
                })
                .collect(),
            Some(i) if i.name == "hot-account" => args
                .hot
                .iter()
                .map(|&hot| Params {
                    hot,
                    ..base.clone()
                })
                .collect(),
            Some(i) if i.name == "cpi-chain" => args
                .fail_rate
                .iter()
                .map(|&fail_rate| Params {
                    fail_rate,
                    ..base.clone()
                })
                .collect(),
            Some(i) if !i.variants.is_empty() => {
                let mine: Vec<Params> = args
                    .variant
                    .iter()
                    .filter(|v| i.variants.contains(&v.as_str()))
                    .map(|v| Params {
                        variant: Some(v.clone()),
                        ..base.clone()
                    })
                    .collect();
                if mine.is_empty() {
                    vec![base]
                } else {
                    mine
                }
            }
            Some(_) => vec![base],
        };
        for params in knobs {
            baton_benches::validate(name, &params).map_err(|e| e.to_string())?;
            out.push(Series {
                name: name.clone(),
                params,
            });
        }
    }
    Ok(out)
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
    let mut runs = Vec::new();
    for &threads in &args.threads {
        let mut times = Vec::new();
        let mut rates = Vec::new();
        let mut equal = true;
        for i in 0..args.repeat {
            progress.message(format!(
                "{}: {threads} threads, run {}/{}",
                w.label,
                i + 1,
                args.repeat
            ));
            let r = run_once(&w, threads, sigverify, args.batch, progress)?;
            equal &= r.hash == reference.hash && r.results == reference.results;
            times.push(r.elapsed);
            rates.extend(r.batch_rates);
        }
        times.sort();
        rates.sort_by(f64::total_cmp);
        runs.push(ThreadRuns {
            threads,
            median: times[times.len() / 2],
            min: times[0],
            max: times[times.len() - 1],
            batch_median: rates.get(rates.len() / 2).copied().unwrap_or(0.0),
            equal,
        });
    }
    Ok(Report {
        workload: w,
        params: s.params.clone(),
        conflicts,
        succeeded,
        hash: reference.hash,
        runs,
    })
}

/// `baton bench --list`.
fn list() {
    for i in WORKLOAD_INFO {
        let knobs = if i.knobs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", i.knobs)
        };
        println!("{:<18} {}{knobs}", i.name, i.summary);
    }
}

/// Run `baton bench`.
pub fn run(args: BenchArgs) -> ExitCode {
    if args.list {
        list();
        return ExitCode::SUCCESS;
    }
    if let Some(path) = &args.plot {
        if let Err(e) = plot::check_path(path) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    let series = match plan(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let per_series = (1 + args.threads.len() * args.repeat) as u64 * args.txs as u64;
    let mut progress = Progress::new(per_series * series.len() as u64);
    let mut reports = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let report = match measure(s, &args, &mut progress) {
            Ok(r) => r,
            Err(e) => {
                progress.finish();
                eprintln!("{e}");
                return ExitCode::FAILURE;
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
                eprintln!("cannot draw the plot: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    if !all_equal {
        eprintln!("a parallel run differed from the serial run");
        return ExitCode::FAILURE;
    }
    status
}
