//! Criterion benches of the in-memory store's hot paths, over a small store
//! that stays in cache (1,000 accounts) and a larger one (100,000) whose
//! random accesses miss it.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use baton_accounts_db::{
    AccountsCommit, AccountsRead, AccountsStore, InMemoryAccounts, PubkeyHasherBuilder,
};
use baton_types::{Account, Pubkey};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_keys(n: usize, seed: u64) -> Vec<Pubkey> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| Pubkey(rng.gen())).collect()
}

fn filled(keys: &[Pubkey]) -> InMemoryAccounts {
    let store =
        InMemoryAccounts::with_capacity_and_hasher(keys.len(), PubkeyHasherBuilder::with_seed(1));
    let owner = Pubkey::new_from_u64(7);
    let changes: Vec<_> = keys
        .iter()
        .map(|k| (*k, Account::new(1_000, 0, &owner)))
        .collect();
    store.commit(&changes).unwrap();
    store.state_hash();
    store
}

fn hot_paths(c: &mut Criterion) {
    let owner = Pubkey::new_from_u64(7);
    for n in [1_000usize, 100_000] {
        let keys = random_keys(n, 1);
        let misses = random_keys(n, 2);
        let store = filled(&keys);
        let mut i = 0usize;
        let mut lamports = 1u64;

        let mut g = c.benchmark_group("store");
        g.bench_function(BenchmarkId::new("load hit", n), |b| {
            b.iter(|| {
                i = (i + 1) % n;
                black_box(store.load(black_box(&keys[i])))
            })
        });
        let mut out = Account::default();
        g.bench_function(BenchmarkId::new("load_into hit", n), |b| {
            b.iter(|| {
                i = (i + 1) % n;
                black_box(store.load_into(black_box(&keys[i]), &mut out))
            })
        });
        g.bench_function(BenchmarkId::new("load miss", n), |b| {
            b.iter(|| {
                i = (i + 1) % n;
                black_box(store.load(black_box(&misses[i])))
            })
        });
        g.bench_function(BenchmarkId::new("commit 2 accounts", n), |b| {
            b.iter(|| {
                i = (i + 2) % (n - 1);
                lamports += 1;
                let changes = [
                    (keys[i], Account::new(lamports, 0, &owner)),
                    (keys[i + 1], Account::new(lamports, 0, &owner)),
                ];
                store.commit(black_box(&changes)).unwrap();
            })
        });
        let mut tx = [Account::default(), Account::default(), Account::default()];
        g.bench_function(BenchmarkId::new("transaction: load 3 + commit 2", n), |b| {
            b.iter(|| {
                i = (i + 3) % (n - 2);
                lamports += 1;
                for (j, out) in tx.iter_mut().enumerate() {
                    store.load_into(&keys[i + j], out);
                }
                tx[0].lamports = lamports;
                tx[1].lamports = lamports;
                let changes = [(keys[i], tx[0].clone()), (keys[i + 1], tx[1].clone())];
                store.commit(black_box(&changes)).unwrap();
            })
        });
        g.finish();
    }
}

fn state_hash(c: &mut Criterion) {
    const N: usize = 100_000;
    let keys = random_keys(N, 1);
    let store = filled(&keys);
    let owner = Pubkey::new_from_u64(7);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut lamports = 1u64;
    let mut g = c.benchmark_group("state_hash");
    g.bench_function("after 1000 commits (100k accounts)", |b| {
        b.iter_batched(
            || {
                for _ in 0..1000 {
                    let k = keys[rng.gen_range(0..N)];
                    lamports += 1;
                    store
                        .commit(&[(k, Account::new(lamports, 0, &owner))])
                        .unwrap();
                }
            },
            |()| black_box(store.state_hash()),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("nothing changed (100k accounts)", |b| {
        b.iter(|| black_box(store.state_hash()))
    });
    g.finish();
}

criterion_group!(benches, hot_paths, state_hash);
criterion_main!(benches);
