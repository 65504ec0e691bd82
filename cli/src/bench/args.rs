//! The arguments of `baton bench` and their checks: the flags, the knob
//! each workload takes, and [`plan`], which turns the arguments into the
//! series to run or a message saying what is wrong.

use std::path::PathBuf;

use baton_benches::{info, Params, WorkloadError, WORKLOAD_INFO};
use clap::ValueEnum;

/// On or off.
#[derive(Clone, Copy, ValueEnum)]
pub enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

/// The options of `baton bench`.
///
/// Every number takes a leading minus as a value (`--skew -1` is an
/// out-of-range skew, not an unknown flag): counts refuse it with a message
/// saying so, knobs check their range in [`plan`].
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Workloads to run, comma separated (see --list).
    #[arg(long, value_delimiter = ',', default_value = "uniform-transfers")]
    pub(super) workload: Vec<String>,
    /// Transactions per run.
    #[arg(long, default_value = "200000", value_parser = count::<usize>, allow_negative_numbers = true)]
    pub(super) txs: usize,
    /// Funded fee payers [default: 100000; 10000 for large-writes].
    #[arg(long, value_parser = count::<usize>, allow_negative_numbers = true)]
    pub(super) accounts: Option<usize>,
    /// Thread counts to run, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2", value_parser = count::<usize>, allow_negative_numbers = true)]
    pub(super) threads: Vec<usize>,
    /// Transactions per `execute_batch` call.
    #[arg(long, default_value = "10000", value_parser = count::<usize>, allow_negative_numbers = true)]
    pub(super) batch: usize,
    /// Signature verification.
    #[arg(long, value_enum, default_value = "off")]
    pub(super) sigverify: OnOff,
    /// The scheduler's serial fallback: while parallel runs lose to serial
    /// ones (the host's cores busy with other work), batches run on the
    /// calling thread alone for a while. `off` runs every batch of several
    /// threads on the pool whatever the host's load (to profile the
    /// parallel path, under valgrind say, which runs one thread at a time).
    #[arg(long, value_enum, default_value = "on")]
    pub(super) serial_fallback: OnOff,
    /// Timed runs per thread count; the median is reported.
    #[arg(long, default_value = "3", value_parser = count::<usize>, allow_negative_numbers = true)]
    pub(super) repeat: usize,
    /// Also run, in every round, N one-thread runs side by side (2 when
    /// no N is given), each on its own runtime and thread: the ceiling N
    /// independent processes would reach on this host at that moment.
    /// Reports each thread count's throughput as a share of the pair's
    /// (median over rounds of the same round's ratio).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "2", value_parser = count::<usize>, allow_negative_numbers = true)]
    pub(super) pair: Option<usize>,
    /// Also run, in every round, N one-thread runtimes side by side (2 when
    /// no N is given) on one store (the others on the first's accounts,
    /// each starting at its own place in the transactions): what threads
    /// that share the state and nothing else reach, so what sharing it
    /// costs on this host at that moment. Reports each thread count's
    /// throughput as a share of it, and with --pair its own over the
    /// pair's. Its runtimes write the same accounts in no agreed order, so
    /// its runs are not checked against the serial one.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "2", value_parser = count::<usize>, allow_negative_numbers = true)]
    pub(super) shared_pair: Option<usize>,
    /// Generator seed.
    #[arg(long, default_value = "7", value_parser = count::<u64>, allow_negative_numbers = true)]
    pub(super) seed: u64,
    /// How many newer blockhashes the runtime holds than the one the
    /// transactions name: 0 (the newest) to 149 (the oldest still
    /// accepted), as a node sees transactions naming any of the last 150.
    #[arg(long, default_value = "0", value_parser = count::<usize>, allow_negative_numbers = true, value_name = "N")]
    pub(super) blockhash_age: usize,
    /// zipf-transfers only: Zipf exponents, comma separated (one series
    /// each) [default: 1.0].
    #[arg(
        long,
        value_delimiter = ',',
        allow_negative_numbers = true,
        value_name = "S"
    )]
    pub(super) skew: Option<Vec<f64>>,
    /// hot-account only: numbers of hot accounts, comma separated
    /// [default: 1].
    #[arg(long, value_delimiter = ',', value_parser = count::<usize>, allow_negative_numbers = true, value_name = "K")]
    pub(super) hot: Option<Vec<usize>>,
    /// cpi-chain only: shares of transactions failing at the bottom, comma
    /// separated [default: 0.1].
    #[arg(
        long,
        value_delimiter = ',',
        allow_negative_numbers = true,
        value_name = "R"
    )]
    pub(super) fail_rate: Option<Vec<f64>>,
    /// token-cpi (uniform, hot-mint) and large-writes (write, read-shared):
    /// variants, comma separated [default: the first].
    #[arg(long, value_delimiter = ',')]
    pub(super) variant: Vec<String>,
    /// Print one JSON object on stdout instead of the table (with --list:
    /// the workloads).
    #[arg(long)]
    pub(super) json: bool,
    /// Draw throughput against threads, one line per series, to FILE.svg or
    /// FILE.png (checked before the run).
    #[arg(long, value_name = "FILE")]
    pub(super) plot: Option<PathBuf>,
    /// List the workloads and exit.
    #[arg(long)]
    pub(super) list: bool,
}

/// A count or a seed: a whole number, 0 or more, refused with a message
/// that says what is wrong (clap adds the flag and the value).
fn count<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    if s.trim_start().starts_with('-') {
        return Err("must not be negative".into());
    }
    s.trim()
        .replace('_', "")
        .parse()
        .map_err(|_| "must be a whole number".into())
}

/// The knob flags and the workload that takes each (`--variant` is
/// checked against the workloads' variants instead).
const KNOBS: &[(&str, &str)] = &[
    ("--skew", "zipf-transfers"),
    ("--hot", "hot-account"),
    ("--fail-rate", "cpi-chain"),
];

/// The knob flag `workload` takes, if any.
pub(super) fn knob_of(workload: &str) -> Option<&'static str> {
    if let Some((flag, _)) = KNOBS.iter().find(|(_, w)| *w == workload) {
        return Some(flag);
    }
    info(workload)
        .filter(|i| !i.variants.is_empty())
        .map(|_| "--variant")
}

/// One series to run: a workload and its parameters.
pub(super) struct Series {
    pub(super) name: String,
    pub(super) params: Params,
}

/// The series the arguments ask for, checked: each workload with each
/// value of the knob it uses. A knob no workload asked for takes, and an
/// `--accounts` below a workload's fewest, are errors.
pub(super) fn plan(args: &BenchArgs) -> Result<Vec<Series>, String> {
    let sign = matches!(args.sigverify, OnOff::On);
    if args.threads.is_empty() || args.threads.contains(&0) {
        return Err("--threads must list thread counts of 1 or more".into());
    }
    if args.repeat == 0 || args.batch == 0 || args.txs == 0 {
        return Err("--txs, --batch and --repeat must be at least 1".into());
    }
    if [args.pair, args.shared_pair]
        .iter()
        .flatten()
        .any(|&n| n < 2)
    {
        return Err("--pair and --shared-pair run 2 or more runtimes side by side".into());
    }
    // Unknown workloads first: the checks below name the known ones.
    if let Some(w) = args.workload.iter().find(|w| info(w).is_none()) {
        return Err(WorkloadError::UnknownWorkload(w.clone()).to_string());
    }
    // A knob must belong to one of the workloads asked for.
    let given = [
        ("--skew", args.skew.is_some()),
        ("--hot", args.hot.is_some()),
        ("--fail-rate", args.fail_rate.is_some()),
    ];
    for (flag, on) in given {
        let owner = KNOBS.iter().find(|(f, _)| *f == flag).map_or("", |k| k.1);
        if on && !args.workload.iter().any(|w| w == owner) {
            return Err(format!(
                "{flag} is a knob of {owner}, which is not among the workloads asked for ({}); \
                 see --list for each workload's knob",
                args.workload.join(", ")
            ));
        }
    }
    // A variant must belong to one of the workloads asked for.
    for v in &args.variant {
        let known = args
            .workload
            .iter()
            .filter_map(|w| info(w))
            .any(|i| i.variants.contains(&v.as_str()));
        if !known {
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
    let defaults = Params::default();
    let mut out = Vec::new();
    for name in &args.workload {
        let Some(i) = info(name) else {
            return Err(WorkloadError::UnknownWorkload(name.clone()).to_string());
        };
        let accounts = args.accounts.unwrap_or(i.default_accounts);
        if accounts < i.min_accounts {
            return Err(format!(
                "--accounts {accounts}: {name} needs at least {}",
                i.min_accounts
            ));
        }
        let base = Params {
            txs: args.txs,
            accounts,
            sign,
            seed: args.seed,
            blockhash_age: args.blockhash_age,
            ..Params::default()
        };
        let knobs: Vec<Params> = match i.name {
            "zipf-transfers" => args
                .skew
                .clone()
                .unwrap_or_else(|| vec![defaults.skew])
                .into_iter()
                .map(|skew| Params {
                    skew,
                    ..base.clone()
                })
                .collect(),
            "hot-account" => args
                .hot
                .clone()
                .unwrap_or_else(|| vec![defaults.hot])
                .into_iter()
                .map(|hot| Params {
                    hot,
                    ..base.clone()
                })
                .collect(),
            "cpi-chain" => args
                .fail_rate
                .clone()
                .unwrap_or_else(|| vec![defaults.fail_rate])
                .into_iter()
                .map(|fail_rate| Params {
                    fail_rate,
                    ..base.clone()
                })
                .collect(),
            _ if !i.variants.is_empty() => {
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
            _ => vec![base],
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_refuse_negative_and_fractional_values() {
        assert_eq!(count::<usize>("12"), Ok(12));
        assert_eq!(count::<usize>("10_000"), Ok(10_000));
        assert_eq!(count::<usize>("-3"), Err("must not be negative".into()));
        assert_eq!(count::<u64>("1.5"), Err("must be a whole number".into()));
    }
}
