//! The report of a bench run: one JSON object per series on stdout, and
//! the table printed beside the progress bar.

use std::time::Duration;

use serde_json::{json, Value};

use baton_benches::info;

use super::{median, BenchArgs, OnOff, Report, ThreadRuns};

/// Milliseconds, rounded to microseconds.
fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The JSON object of one series: `workload`, `label`, the parameters
/// (`txs`, `accounts`, `batch`, `sigverify`, `serial_fallback`, `repeat`,
/// `seed`, `threads`, and the workload's knob: `skew`, `hot`, `fail_rate`
/// or `variant`),
/// `succeeded`, `conflicts`, `state_hash`, `runs` (one
/// `{threads, tx_per_sec, median_ms, min_ms, max_ms, speedup,
/// batch_tx_per_sec, batch_speedup, serial_equivalent}` per thread count)
/// and `serial_equivalent`. `batch_tx_per_sec` is the median throughput of
/// a single batch over every batch of every run: a stall of the host during
/// one batch moves it far less than the run totals. With `--pair`, each run
/// also has `of_pair` (the median over rounds of its throughput over the
/// pair's in the same round), and `pair` is `{tx_per_sec, median_ms,
/// min_ms, max_ms, batch_tx_per_sec, serial_equivalent, runtimes,
/// round_trip_ns}` of the one-thread runs side by side (`runtimes` of
/// them: 2 unless `--pair N` says), their rates added up;
/// `round_trip_ns` is `{median, min, max}` of a cache line's round trip
/// between two threads measured before each round. With `--shared-pair`,
/// each run has `of_shared_pair` and `shared_pair` is the same object for
/// the runs side by side on one store, with `serial_equivalent` null
/// (not checked) and, with `--pair` too, `of_pair`: its throughput over
/// the pair's, what sharing the state costs. Where the kernel tells it
/// (Linux), each run and the pairs also have `cpu_ns_per_tx`: the median
/// over rounds of the CPU time of the timed batches, every thread's, per
/// transaction (a pair's runs added up over all their transactions).
pub(super) fn series_json(r: &Report, args: &BenchArgs) -> Value {
    let round3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let runs: Vec<Value> = r
        .runs
        .iter()
        .map(|t| {
            let (speedup, batch_speedup) = r.speedups(t);
            let mut run = timings_json(r, t);
            if let Some(map) = run.as_object_mut() {
                map.insert("threads".into(), json!(t.threads));
                map.insert("speedup".into(), json!(round3(speedup)));
                map.insert("batch_speedup".into(), json!(round3(batch_speedup)));
                if let Some(share) = t.of_pair {
                    map.insert("of_pair".into(), json!(round3(share)));
                }
                if let Some(share) = t.of_shared_pair {
                    map.insert("of_shared_pair".into(), json!(round3(share)));
                }
            }
            run
        })
        .collect();
    let mut obj = json!({
        "workload": r.workload.name,
        "label": r.workload.label,
        "description": r.workload.description,
        "txs": r.workload.txs.len(),
        "accounts": r.params.accounts,
        "batch": args.batch,
        "sigverify": matches!(args.sigverify, OnOff::On),
        "serial_fallback": matches!(args.serial_fallback, OnOff::On),
        "log_collection": false,
        "history_capacity": r.workload.history_capacity(),
        "repeat": args.repeat,
        "seed": args.seed,
        "threads": args.threads,
        "succeeded": r.succeeded,
        "failed": r.workload.txs.len() - r.succeeded,
        "conflicts": {
            "conflicting": r.conflicts.conflicting,
            "share": (r.conflicts.share() * 1e4).round() / 1e4,
            "longest_chain": r.conflicts.longest_chain,
        },
        "state_hash": r.hash.to_string(),
        "runs": runs,
        "serial_equivalent": r.serial_equivalent(),
    });
    let knob = match r.workload.name {
        "zipf-transfers" => Some(("skew", json!(r.params.skew))),
        "hot-account" => Some(("hot", json!(r.params.hot))),
        "cpi-chain" => Some(("fail_rate", json!(r.params.fail_rate))),
        _ => info(r.workload.name)
            .and_then(|i| i.variants.first())
            .map(|first| {
                let v = r.params.variant.as_deref().unwrap_or(first);
                ("variant", json!(v))
            }),
    };
    if let Some(map) = obj.as_object_mut() {
        if let Some((k, v)) = knob {
            map.insert(k.to_string(), v);
        }
        let pairs = [
            ("pair", &r.pair, args.pair),
            ("shared_pair", &r.shared_pair, args.shared_pair),
        ];
        for (name, p, n) in pairs {
            let Some(p) = p else { continue };
            let mut pair = timings_json(r, p);
            if let Some(pair) = pair.as_object_mut() {
                pair.insert("runtimes".into(), json!(n));
                if let Some((median, min, max)) = spread(&r.round_trips) {
                    pair.insert(
                        "round_trip_ns".into(),
                        json!({ "median": median.round(), "min": min.round(), "max": max.round() }),
                    );
                }
                if let Some(share) = p.of_pair {
                    pair.insert("of_pair".into(), json!(round3(share)));
                }
            }
            map.insert(name.into(), pair);
        }
    }
    obj
}

/// What a thread count's runs and the pairs' report alike: `{tx_per_sec,
/// median_ms, min_ms, max_ms, batch_tx_per_sec, serial_equivalent}` (null
/// where not checked), and `cpu_ns_per_tx` where it was measured.
fn timings_json(r: &Report, t: &ThreadRuns) -> Value {
    let mut timings = json!({
        "tx_per_sec": r.tx_per_sec(t.median).round(),
        "median_ms": ms(t.median),
        "min_ms": ms(t.min),
        "max_ms": ms(t.max),
        "batch_tx_per_sec": t.batch_median.round(),
        "serial_equivalent": t.equal,
    });
    if let (Some(map), Some(cpu)) = (timings.as_object_mut(), t.cpu_per_tx) {
        map.insert("cpu_ns_per_tx".into(), json!(cpu.as_nanos()));
    }
    timings
}

/// The line under the table with each run's CPU time per transaction, and
/// each against the one-thread run's (as much CPU as the same work took on
/// one thread would be 1.00); `None` without figures.
fn cpu_line(r: &Report, args: &BenchArgs) -> Option<String> {
    let one = r
        .runs
        .iter()
        .find(|t| t.threads == 1)
        .and_then(|t| t.cpu_per_tx)
        .filter(|o| !o.is_zero());
    let mut parts = Vec::new();
    let named = r.runs.iter().map(|t| (t.threads.to_string(), t));
    let pairs = [
        (pair_label(args.pair), &r.pair),
        (SHARED.to_string(), &r.shared_pair),
    ];
    let pairs = pairs
        .into_iter()
        .filter_map(|(name, p)| p.as_ref().map(|p| (name, p)));
    for (name, t) in named.chain(pairs) {
        let Some(cpu) = t.cpu_per_tx else { continue };
        let ratio = one.map_or(String::new(), |o| {
            format!(" ({:.2})", cpu.as_secs_f64() / o.as_secs_f64())
        });
        parts.push(format!("{name}: {:.3} µs{ratio}", cpu.as_secs_f64() * 1e6));
    }
    let against = if one.is_some() {
        " (against 1 thread)"
    } else {
        ""
    };
    (!parts.is_empty()).then(|| {
        format!(
            "  CPU per transaction in the timed batches, all threads{against}: {}",
            parts.join(", ")
        )
    })
}

/// The table of one series, as lines.
pub(super) fn series_table(r: &Report, args: &BenchArgs) -> Vec<String> {
    let c = &r.conflicts;
    let mut lines = vec![
        format!(
            "{} | {} txs | {} accounts | batch {} | sigverify {} | logs off | history sized for {} | repeat {}{}",
            r.workload.label,
            r.workload.txs.len(),
            r.workload.accounts.len(),
            args.batch,
            if matches!(args.sigverify, OnOff::On) { "on" } else { "off" },
            r.workload.history_capacity(),
            args.repeat,
            if matches!(args.serial_fallback, OnOff::On) { "" } else { " | serial fallback off" },
        ),
        format!("  {}", r.workload.description),
        format!(
            "  {} of {} transactions succeed; conflicts: {} ({:.1}%) wait for an earlier one in their batch, longest chain {}",
            r.succeeded,
            r.workload.txs.len(),
            c.conflicting,
            c.share() * 100.0,
            c.longest_chain,
        ),
        format!(
            "{:>8} {:>14} {:>10} {:>10} {:>10} {:>8} {:>12} {:>8} {:>10}",
            "threads",
            "tx/s (median)",
            "median ms",
            "min ms",
            "max ms",
            "speedup",
            "batch tx/s",
            "speedup",
            "serial-eq"
        ) + if r.pair.is_some() { "  of pair" } else { "" }
            + if r.shared_pair.is_some() { " of shared" } else { "" },
    ];
    // A share column where the table has it: the figure, or `-`.
    let share = |present: bool, s: Option<f64>| match (present, s) {
        (false, _) => String::new(),
        (true, Some(s)) => format!(" {s:>8.3}"),
        (true, None) => format!(" {:>8}", "-"),
    };
    let row = |threads: &str, t: &ThreadRuns| {
        let (speedup, batch_speedup) = r.speedups(t);
        let of_pair = share(r.pair.is_some(), t.of_pair);
        let of_shared = share(r.shared_pair.is_some(), t.of_shared_pair);
        format!(
            "{threads:>8} {:>14.0} {:>10.1} {:>10.1} {:>10.1} {:>7.2}x {:>12.0} {:>7.2}x {:>10}{of_pair}{of_shared}",
            r.tx_per_sec(t.median),
            ms(t.median),
            ms(t.min),
            ms(t.max),
            speedup,
            t.batch_median,
            batch_speedup,
            match t.equal {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            }
        )
    };
    for t in &r.runs {
        lines.push(row(&t.threads.to_string(), t));
    }
    let cpu = cpu_line(r, args);
    let label = pair_label(args.pair);
    if let Some(p) = &r.pair {
        lines.push(row(&label, p));
    }
    if let Some(p) = &r.shared_pair {
        lines.push(row(SHARED, p));
    }
    if let Some(n) = args.pair {
        lines.push(format!(
            "  {label}: {n} 1-thread runs side by side, each on its own runtime and thread \
             (their rates added up); of pair: a run's throughput over the pair's in the \
             same round, median over rounds"
        ));
    }
    if let Some(n) = args.shared_pair {
        lines.push(format!(
            "  {SHARED}: {n} 1-thread runs side by side on one store (the others' runtimes on \
             the first's accounts, each from its own place in the transactions; not checked \
             against the serial run); of shared: a run's throughput over it in the same \
             round, median over rounds"
        ));
    }
    if let Some((median, min, max)) = spread(&r.round_trips) {
        let payers = if r.shared_pair.is_some() {
            "a 2-thread run and the shared pair do for what their threads hand each other"
        } else {
            "a 2-thread run does for what its threads hand each other"
        };
        lines.push(format!(
            "  a cache line's round trip between two threads, before each round: \
             median {median:.0} ns ({min:.0}–{max:.0}); the pair never pays it, {payers}"
        ));
    }
    lines.extend(cpu);
    lines
}

/// The shared pair's name in the table.
const SHARED: &str = "shared";

/// The pair's name in the table: `1+1` for two runs, `N×1` for more.
fn pair_label(n: Option<usize>) -> String {
    match n {
        Some(n) if n != 2 => format!("{n}×1"),
        _ => "1+1".into(),
    }
}

/// The median, least and greatest of `xs`, if any.
fn spread(xs: &[f64]) -> Option<(f64, f64, f64)> {
    let min = xs.iter().copied().reduce(f64::min)?;
    let max = xs.iter().copied().reduce(f64::max)?;
    Some((median(xs.to_vec()), min, max))
}
