//! Scheduler-only benchmarks: build the dependency graph and dispatch a
//! batch with a trivial (or fixed-cost) callback, so the numbers are the
//! scheduler's own overhead. Criterion reports time per batch and
//! throughput; divide by the batch length for ns per transaction.
//!
//! `cargo bench -p baton-scheduler --bench schedule`

#![allow(missing_docs)] // criterion's macros generate undocumented items
#![allow(clippy::unwrap_used)] // test code: a failed setup should just fail

use std::hint::black_box;
use std::time::Duration;

use baton_scheduler::{DependencyGraph, GraphBuilder, LockSet, Pubkey, Scheduler};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

fn k(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

/// Non-conflicting: three fresh keys per transaction (two written, one read).
fn uniform(n: u64) -> Vec<LockSet> {
    (0..n)
        .map(|i| LockSet::from_keys(&[k(3 * i + 1), k(3 * i + 2)], &[k(3 * i + 3)]))
        .collect()
}

/// Every transaction writes account 0 (plus two keys of its own).
fn hot(n: u64) -> Vec<LockSet> {
    (0..n)
        .map(|i| LockSet::from_keys(&[k(0), k(3 * i + 1)], &[k(3 * i + 2)]))
        .collect()
}

/// Seeded mix: each transaction writes one of 64 shared accounts with
/// probability 1/4, reads one of them, and writes a key of its own.
fn mixed(n: u64) -> Vec<LockSet> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    (0..n)
        .map(|i| {
            let own = k(1_000 + i);
            let read = k(rng.gen_range(0..64));
            if rng.gen_bool(0.25) {
                LockSet::from_keys(&[own, k(rng.gen_range(0..64))], &[read])
            } else {
                LockSet::from_keys(&[own], &[read])
            }
        })
        .collect()
}

/// About a microsecond of arithmetic: a stand-in for a small transaction.
#[inline(never)]
fn busy(i: usize) {
    let mut x = i as u64;
    for _ in 0..800 {
        x ^= x >> 31;
        x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    black_box(x);
}

fn bench(c: &mut Criterion) {
    let s1 = Scheduler::new(1).unwrap();
    // The fallback off: with an empty callback a parallel run never pays,
    // and the fallback would measure the serial loop instead of dispatch.
    let s2 = Scheduler::new(2).unwrap().with_serial_fallback(false);

    // Graph building alone (the sequential part of every parallel run).
    let mut g = c.benchmark_group("build");
    g.sample_size(20).measurement_time(Duration::from_secs(2));
    for n in [10_000u64, 100_000] {
        let locks = uniform(n);
        g.throughput(Throughput::Elements(n));
        g.bench_with_input(BenchmarkId::new("uniform", n), &locks, |b, l| {
            b.iter(|| black_box(DependencyGraph::build(l).unwrap()))
        });
        // Reusing the builder's buffers, as `Scheduler::run` does.
        let mut builder = GraphBuilder::new();
        g.bench_with_input(BenchmarkId::new("uniform_reuse", n), &locks, |b, l| {
            b.iter(|| {
                let graph = builder.build(l).unwrap();
                builder.recycle(black_box(graph));
            })
        });
        // Reads of shared accounts too (readers lists, write-after-reads).
        let mixed_locks = mixed(n);
        g.bench_with_input(BenchmarkId::new("mixed_reuse", n), &mixed_locks, |b, l| {
            b.iter(|| {
                let graph = builder.build(l).unwrap();
                builder.recycle(black_box(graph));
            })
        });
    }
    g.finish();

    // Build + dispatch with an empty callback.
    let mut g = c.benchmark_group("schedule");
    g.sample_size(20).measurement_time(Duration::from_secs(2));
    for (name, make) in [
        ("uniform", uniform as fn(u64) -> Vec<LockSet>),
        ("hot", hot),
        ("mixed", mixed),
    ] {
        for n in [10_000u64, 100_000] {
            let locks = make(n);
            g.throughput(Throughput::Elements(n));
            for s in [&s1, &s2] {
                let id = BenchmarkId::new(format!("{name}/{}t", s.threads()), n);
                g.bench_with_input(id, &locks, |b, l| {
                    b.iter(|| {
                        s.run(l, |i| {
                            black_box(i);
                        })
                    })
                });
            }
        }
    }
    g.finish();

    // A ~1 µs callback: parallel runs against a plain serial loop.
    let mut g = c.benchmark_group("work_1us");
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    let n = 10_000u64;
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("serial_loop", n), |b| {
        b.iter(|| {
            for i in 0..n as usize {
                busy(i);
            }
        })
    });
    // The machine's own parallel baseline: a rayon parallel loop on the
    // same two threads, no scheduling at all.
    g.bench_function(BenchmarkId::new("rayon_par_iter/2t", n), |b| {
        b.iter(|| {
            s2.pool()
                .install(|| (0..n as usize).into_par_iter().for_each(busy))
        })
    });
    for (name, make) in [
        ("uniform", uniform as fn(u64) -> Vec<LockSet>),
        ("hot", hot),
        ("mixed", mixed),
    ] {
        let locks = make(n);
        g.bench_with_input(BenchmarkId::new(format!("{name}/2t"), n), &locks, |b, l| {
            b.iter(|| s2.run(l, busy))
        });
    }
    g.finish();
}

/// Hot account against a plain serial loop, timed *interleaved* (serial,
/// scheduled, serial, …) so that load from other processes on a shared
/// machine hits both sides alike; prints the median ratio
/// serial time / scheduled time (≥ 0.9 is the target).
fn hot_ratio() {
    let s2 = Scheduler::new(2).unwrap().with_serial_fallback(false);
    let n = 10_000u64;
    let locks = hot(n);
    let time = |f: &dyn Fn()| {
        let t = std::time::Instant::now();
        f();
        t.elapsed().as_secs_f64()
    };
    let mut ratios: Vec<f64> = (0..31)
        .map(|_| {
            let serial = time(&|| (0..n as usize).for_each(busy));
            let sched = time(&|| s2.run(&locks, busy));
            serial / sched
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    println!(
        "hot_ratio: 10k txs all writing one account, ~1 µs each, 2 threads: \
         serial/scheduled median {:.3} (min {:.3}, max {:.3})",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    hot_ratio();
    Criterion::default().configure_from_args().final_summary();
}
