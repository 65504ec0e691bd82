//! `baton`: throughput benchmarks of the Baton engine, and scenario runs.

use std::process::ExitCode;
use std::time::Instant;

use baton::{scenario, Runtime, StateHash, TransactionResult};
use baton_benches::{generate, Params, Workload, WORKLOADS};
use clap::{Parser, Subcommand, ValueEnum};

/// The binary uses mimalloc: the engine allocates and frees small buffers
/// on several threads, where glibc's allocator contends. Embedders pick
/// their own allocator; the library does not set one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "baton",
    version,
    about = "Batch execution engine for Solana-style transactions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure batch throughput on a built-in workload.
    Bench(BenchArgs),
    /// Run scenario files: print what happened as JSON; exit 0 when every
    /// expectation holds, 1 when one does not, 2 when a file is malformed.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// Scenario files (TOML; see docs/scenarios.md).
    #[arg(required = true)]
    files: Vec<std::path::PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Workload to run.
    #[arg(long, default_value = "uniform-transfers")]
    workload: String,
    /// Transactions per run.
    #[arg(long, default_value_t = 200_000)]
    txs: usize,
    /// Funded accounts.
    #[arg(long, default_value_t = 100_000)]
    accounts: usize,
    /// Thread counts to run, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 2])]
    threads: Vec<usize>,
    /// Transactions per `execute_batch` call.
    #[arg(long, default_value_t = 10_000)]
    batch: usize,
    /// Signature verification.
    #[arg(long, value_enum, default_value = "off")]
    sigverify: OnOff,
    /// Runs per thread count; the median is reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// List the workloads and exit.
    #[arg(long)]
    list: bool,
}

struct Run {
    elapsed_s: f64,
    hash: StateHash,
    results: Vec<TransactionResult>,
}

fn run_once(w: &Workload, threads: usize, sigverify: bool, batch: usize) -> Run {
    let mut rt = Runtime::new()
        .with_sigverify(sigverify)
        .with_log_collection(false)
        .with_threads(threads);
    for (k, a) in &w.accounts {
        // In-memory stores accept any generated account.
        let _ = rt.set_account(*k, a.clone());
    }
    // Start the worker pool before timing.
    rt.execute_batch(&[]);
    let start = Instant::now();
    let mut results = Vec::with_capacity(w.txs.len());
    for chunk in w.txs.chunks(batch.max(1)) {
        results.extend(rt.execute_batch(chunk));
    }
    let elapsed_s = start.elapsed().as_secs_f64();
    Run {
        elapsed_s,
        hash: rt.state_hash(),
        results,
    }
}

fn bench(args: BenchArgs) -> ExitCode {
    if args.list {
        for w in WORKLOADS {
            println!("{w}");
        }
        return ExitCode::SUCCESS;
    }
    let sigverify = matches!(args.sigverify, OnOff::On);
    let params = Params {
        txs: args.txs,
        accounts: args.accounts,
        sign: sigverify,
        seed: args.seed,
        ..Params::default()
    };
    let Some(w) = generate(&args.workload, &params) else {
        eprintln!(
            "unknown workload '{}'; known: {}",
            args.workload,
            WORKLOADS.join(", ")
        );
        return ExitCode::from(2);
    };
    println!(
        "workload {} | {} txs | {} accounts | batch {} | sigverify {} | logs off | repeat {}",
        w.name,
        w.txs.len(),
        w.accounts.len(),
        args.batch,
        if sigverify { "on" } else { "off" },
        args.repeat
    );
    let serial = run_once(&w, 1, sigverify, args.batch);
    let ok = serial.results.iter().filter(|r| r.status.is_ok()).count();
    println!(
        "{ok} of {} transactions succeed; serial state hash {}",
        serial.results.len(),
        serial.hash
    );
    println!(
        "{:>8} {:>14} {:>11} {:>10} {:>10}",
        "threads", "tx/s (median)", "median ms", "speedup", "serial-eq"
    );
    let mut base = None;
    let mut all_equal = true;
    for &t in &args.threads {
        let mut times = Vec::new();
        let mut equal = true;
        for _ in 0..args.repeat.max(1) {
            let r = run_once(&w, t, sigverify, args.batch);
            equal &= r.hash == serial.hash && r.results == serial.results;
            times.push(r.elapsed_s);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let tps = w.txs.len() as f64 / median;
        let base_tps = *base.get_or_insert(tps);
        all_equal &= equal;
        println!(
            "{t:>8} {tps:>14.0} {:>11.1} {:>9.2}x {:>10}",
            median * 1e3,
            tps / base_tps,
            if equal { "yes" } else { "NO" }
        );
    }
    if all_equal {
        ExitCode::SUCCESS
    } else {
        eprintln!("a parallel run differed from the serial run");
        ExitCode::FAILURE
    }
}

/// Run each scenario file; JSON reports on stdout, failed expectations and
/// malformed files on stderr.
fn run_scenarios(args: RunArgs) -> ExitCode {
    // The scripted program's deliberate panics are results, not crashes:
    // keep them off stderr; report any other panic as usual.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let deliberate = payload
            .downcast_ref::<&str>()
            .is_some_and(|s| *s == baton_programs::scripted::PANIC_MESSAGE);
        if !deliberate {
            default_hook(info);
        }
    }));
    let mut reports = Vec::new();
    let (mut malformed, mut failed) = (false, false);
    for path in &args.files {
        match scenario::run_file(path) {
            Err(e) => {
                eprintln!("malformed scenario: {e}");
                malformed = true;
            }
            Ok(report) => {
                for m in &report.mismatches {
                    eprintln!("{}: {m}", report.origin);
                }
                failed |= !report.passed();
                reports.push(report.to_json());
            }
        }
    }
    match serde_json::to_string_pretty(&reports) {
        Ok(s) => {
            // A closed stdout (`| head`) is not worth a panic.
            use std::io::Write;
            let _ = writeln!(std::io::stdout().lock(), "{s}");
        }
        Err(e) => eprintln!("cannot print the reports: {e}"),
    }
    if malformed {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Bench(args) => bench(args),
        Command::Run(args) => run_scenarios(args),
    }
}
