//! `baton`: throughput benchmarks of the Baton engine, and scenario runs.
//!
//! Depends on the facade `baton`, `baton-benches` (the workloads of
//! `baton bench`) and `baton-scenario` (`baton run`); nothing depends on it.

mod bench;
mod plot;

use std::process::ExitCode;

use baton_scenario as scenario;
use clap::{Parser, Subcommand};

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
    /// Measure batch throughput on the built-in workloads.
    Bench(Box<bench::BenchArgs>),
    /// Run scenario files: print what happened as JSON; end with
    /// `N passed, M failed` on stderr; exit 0 when every expectation holds,
    /// 1 when one does not, 2 when a file cannot be read or is malformed.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// Scenario files (TOML; see docs/scenarios.md).
    #[arg(required = true)]
    files: Vec<std::path::PathBuf>,
}

/// Run each scenario file; JSON reports on stdout. On stderr: each failed
/// expectation as `FILE:LINE: transaction, field: expected …, got …` (a
/// line diff for logs), each unreadable or malformed file (`cannot read
/// FILE: reason`, `FILE:LINE:COLUMN: message`), and last the summary
/// `N passed, M failed`, counting files (one that cannot be read or run
/// counts as failed).
fn run_scenarios(args: RunArgs) -> ExitCode {
    // The scripted program's deliberate panics are results, not crashes:
    // keep them off stderr; report any other panic as usual.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let deliberate = payload
            .downcast_ref::<&str>()
            .is_some_and(|s| *s == baton_scenario::scripted::PANIC_MESSAGE);
        if !deliberate {
            default_hook(info);
        }
    }));
    let mut reports = Vec::new();
    let (mut malformed, mut passed, mut failed) = (false, 0usize, 0usize);
    for path in &args.files {
        match scenario::run_file(path) {
            Err(e) => {
                eprintln!("{e}");
                malformed = true;
                failed += 1;
            }
            Ok(report) => {
                for m in &report.mismatches {
                    eprintln!("{}", m.located(&report.origin));
                }
                if report.passed() {
                    passed += 1;
                } else {
                    failed += 1;
                }
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
    eprintln!("{passed} passed, {failed} failed");
    if malformed {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Bench(args) => bench::run(*args),
        Command::Run(args) => run_scenarios(args),
    }
}
