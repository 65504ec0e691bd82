//! End-to-end batch execution through the facade: fees, journal, checks.
//! Configuration: signature checks off, log collection off, history on.
#![allow(missing_docs)]

use baton::Runtime;
use baton_benches::{uniform_transfers, Params};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let params = Params {
        txs: 10_000,
        accounts: 100_000,
        ..Params::default()
    };
    let w = uniform_transfers(&params);
    let mut g = c.benchmark_group("end_to_end/uniform-transfers");
    g.throughput(Throughput::Elements(w.txs.len() as u64));
    for threads in [1usize, 2] {
        g.bench_function(format!("threads={threads}"), |b| {
            b.iter_batched(
                || {
                    let mut rt = Runtime::new()
                        .with_sigverify(false)
                        .with_log_collection(false)
                        .with_threads(threads);
                    for (k, a) in &w.accounts {
                        let _ = rt.set_account(*k, a.clone());
                    }
                    rt
                },
                |mut rt| rt.execute_batch(&w.txs),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
