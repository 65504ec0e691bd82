//! End-to-end batch execution through the facade, one group per workload:
//! `Runtime::execute_batch` on a fresh runtime loaded with the workload
//! (setup not timed), 1 and 2 threads. Fees, journal, rent and balance
//! checks, blockhash check and signature history on; signature checks and
//! log collection off.
//!
//! `cargo bench -p baton-benches --bench end_to_end [-- FILTER]`
#![allow(missing_docs)] // criterion's macros generate undocumented items
#![allow(clippy::unwrap_used)] // a failed setup should just fail

use baton_benches::{generate, Params};

/// The allocator of the `baton` binary, so that these figures and
/// `baton bench`'s measure the same program.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// Transactions per batch (one `execute_batch` call).
const TXS: usize = 10_000;

/// The workloads and knobs benched, with their funded accounts.
fn cases() -> Vec<(&'static str, Params)> {
    let p = |accounts: usize| Params {
        txs: TXS,
        accounts,
        ..Params::default()
    };
    let variant = |v: &str, accounts: usize| Params {
        variant: Some(v.to_string()),
        ..p(accounts)
    };
    vec![
        ("uniform-transfers", p(100_000)),
        (
            "uniform-transfers",
            Params {
                blockhash_age: 149,
                ..p(100_000)
            },
        ),
        ("uniform-transfers", variant("v0-alt", 100_000)),
        (
            "zipf-transfers",
            Params {
                skew: 1.0,
                ..p(100_000)
            },
        ),
        (
            "hot-account",
            Params {
                hot: 16,
                ..p(100_000)
            },
        ),
        ("token-cpi", variant("uniform", 100_000)),
        ("token-cpi", variant("hot-mint", 100_000)),
        (
            "cpi-chain",
            Params {
                fail_rate: 0.1,
                ..p(100_000)
            },
        ),
        ("large-writes", variant("write", 10_000)),
        ("large-writes", variant("read-shared", 10_000)),
    ]
}

fn bench(c: &mut Criterion) {
    for (name, params) in cases() {
        let w = generate(name, &params).unwrap();
        let mut g = c.benchmark_group(format!("end_to_end/{}", w.label.replace(' ', "/")));
        g.throughput(Throughput::Elements(w.txs.len() as u64));
        g.sample_size(10);
        for threads in [1usize, 2] {
            g.bench_function(format!("threads={threads}"), |b| {
                b.iter_batched(
                    || {
                        let mut rt = w.runtime(threads, false).unwrap();
                        // Start the worker pool before timing.
                        rt.execute_batch(&[]);
                        rt
                    },
                    // The runtime goes out with the results, so that its
                    // teardown (the store, the history) is not timed.
                    |mut rt| {
                        let results = rt.execute_batch(&w.txs);
                        (rt, results)
                    },
                    BatchSize::PerIteration,
                )
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
