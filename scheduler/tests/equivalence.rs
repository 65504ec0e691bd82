//! The parallel schedule against the serial baseline, on random batches
//! (Aptos' block-executor tests its parallel executor the same way).
//!
//! Each "transaction" is a deterministic read-modify-write on a model state:
//! it reads every account it locks, mixes the values with its index, records
//! that observation, and writes a value derived from it to each account it
//! write-locks. Per-account guard counters detect any overlap of a writer
//! with anyone else, a global sequence counter checks that every
//! conflicting earlier transaction finished before a later one started, and
//! the final state and every observation must equal the serial run's.
//! Seeded: the same cases every run. Every case runs at 1, 2, 4, 8 and 16
//! threads (see `schedulers`).

#![allow(clippy::unwrap_used)] // test code: a failed setup should just fail

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, Ordering::SeqCst};
use std::sync::OnceLock;

use baton_scheduler::{LockMode, LockSet, Pubkey, Scheduler, RUN_WAVE};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

/// One transaction's declared accesses: (account index, writable); may hold
/// duplicates, which the lock set collapses.
type Accesses = Vec<(u64, bool)>;

fn key(i: u64) -> Pubkey {
    Pubkey::new_from_u64(i)
}

fn index_of(k: &Pubkey) -> usize {
    let mut b = [0u8; 8];
    b.copy_from_slice(&k.0[..8]);
    u64::from_le_bytes(b) as usize
}

fn mix(a: u64, b: u64) -> u64 {
    // splitmix64 finaliser over a combination: cheap and order-sensitive.
    let mut z = a.rotate_left(17) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 1, 2 and 4 threads, and 8 and 16 (more than the cores of a small CI
/// machine: workers are preempted mid-batch and park and wake far more
/// often), all with the serial fallback off so that every batch that can
/// run in parallel does; and 2 threads with the fallback on, where the
/// host's load decides, batch by batch, which of the two paths runs.
fn schedulers() -> &'static [Scheduler; 6] {
    static S: OnceLock<[Scheduler; 6]> = OnceLock::new();
    let fixed = |t| Scheduler::new(t).unwrap().with_serial_fallback(false);
    S.get_or_init(|| {
        [
            fixed(1),
            fixed(2),
            fixed(4),
            fixed(8),
            fixed(16),
            Scheduler::new(2).unwrap(),
        ]
    })
}

/// The serial reference: final state and each transaction's observation.
fn serial(locks: &[LockSet], accounts: usize) -> (Vec<u64>, Vec<u64>) {
    let mut state: Vec<u64> = (0..accounts as u64).collect();
    let mut seen = Vec::with_capacity(locks.len());
    for (i, set) in locks.iter().enumerate() {
        let mut h = i as u64;
        for l in set {
            h = mix(h, state[index_of(&l.key)]);
        }
        seen.push(h);
        for l in set.iter().filter(|l| l.mode == LockMode::Write) {
            let k = index_of(&l.key);
            state[k] = mix(h, k as u64);
        }
    }
    (state, seen)
}

fn check(batch: &[Accesses], accounts: usize) {
    let locks: Vec<LockSet> = batch
        .iter()
        .map(|acc| acc.iter().map(|&(k, w)| (key(k), w)).collect())
        .collect();
    let (want_state, want_seen) = serial(&locks, accounts);
    let n = locks.len();

    for sched in schedulers() {
        let state: Vec<AtomicU64> = (0..accounts as u64).map(AtomicU64::new).collect();
        // > 0: that many readers inside; -1: a writer inside.
        let guard: Vec<AtomicI64> = (0..accounts).map(|_| AtomicI64::new(0)).collect();
        let runs: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
        let seen: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
        let start: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
        let end: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
        let seq = AtomicU64::new(0);
        let overlap = AtomicBool::new(false);

        sched.run(&locks, |i| {
            let set = &locks[i];
            for l in set {
                let g = &guard[index_of(&l.key)];
                let ok = match l.mode {
                    LockMode::Write => g.compare_exchange(0, -1, SeqCst, SeqCst).is_ok(),
                    LockMode::Read => g
                        .fetch_update(SeqCst, SeqCst, |v| (v >= 0).then_some(v + 1))
                        .is_ok(),
                };
                if !ok {
                    overlap.store(true, SeqCst);
                }
            }
            start[i].store(seq.fetch_add(1, SeqCst), SeqCst);
            let mut h = i as u64;
            for l in set {
                h = mix(h, state[index_of(&l.key)].load(SeqCst));
            }
            seen[i].store(h, SeqCst);
            for l in set.iter().filter(|l| l.mode == LockMode::Write) {
                let k = index_of(&l.key);
                state[k].store(mix(h, k as u64), SeqCst);
            }
            end[i].store(seq.fetch_add(1, SeqCst), SeqCst);
            for l in set {
                let g = &guard[index_of(&l.key)];
                match l.mode {
                    LockMode::Write => g.store(0, SeqCst),
                    LockMode::Read => {
                        g.fetch_sub(1, SeqCst);
                    }
                }
            }
            runs[i].fetch_add(1, SeqCst);
        });

        let t = sched.threads();
        assert!(
            !overlap.load(SeqCst),
            "{t} threads: conflicting transactions overlapped"
        );
        for (i, r) in runs.iter().enumerate() {
            assert_eq!(
                r.load(SeqCst),
                1,
                "{t} threads: tx {i} ran {} times",
                r.load(SeqCst)
            );
        }
        for (i, j) in conflicting_pairs(&locks) {
            assert!(
                end[i].load(SeqCst) < start[j].load(SeqCst),
                "{t} threads: tx {j} started before conflicting tx {i} finished"
            );
        }
        let got_seen: Vec<u64> = seen.iter().map(|a| a.load(SeqCst)).collect();
        assert_eq!(
            got_seen, want_seen,
            "{t} threads: observations differ from serial"
        );
        let got_state: Vec<u64> = state.iter().map(|a| a.load(SeqCst)).collect();
        assert_eq!(
            got_state, want_state,
            "{t} threads: final state differs from serial"
        );
    }
}

/// The pairs `(i, j)`, `i < j`, of conflicting transactions to check.
/// Every pair in a short batch; in a long one only each transaction's
/// immediate predecessors on each account (the last writer before it, and
/// for a writer the readers since), which orders every conflicting pair by
/// transitivity, in O(n) pairs instead of O(n²).
fn conflicting_pairs(locks: &[LockSet]) -> Vec<(usize, usize)> {
    let n = locks.len();
    if n <= 1_000 {
        return (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .filter(|&(i, j)| locks[i].conflicts_with(&locks[j]))
            .collect();
    }
    // Per account: the last writer, and the readers since it.
    let mut last: std::collections::HashMap<usize, (Option<usize>, Vec<usize>)> =
        std::collections::HashMap::new();
    let mut pairs = Vec::new();
    for (j, set) in locks.iter().enumerate() {
        for l in set {
            let (writer, readers) = last.entry(index_of(&l.key)).or_default();
            match l.mode {
                LockMode::Write => {
                    pairs.extend(writer.iter().map(|&i| (i, j)));
                    pairs.extend(readers.drain(..).map(|i| (i, j)));
                    *writer = Some(j);
                }
                LockMode::Read => {
                    pairs.extend(writer.iter().map(|&i| (i, j)));
                    readers.push(j);
                }
            }
        }
    }
    pairs
}

fn batch(accounts: u64, max_len: usize) -> impl Strategy<Value = Vec<Accesses>> {
    let access = (0..accounts, prop::bool::weighted(0.4));
    prop::collection::vec(prop::collection::vec(access, 0..=4), 0..max_len)
}

fn config(seed: u64) -> Config {
    Config {
        cases: 96,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(0xBA70_0001))]
    /// Few accounts: dense conflicts, chains, fan-out and fan-in.
    #[test]
    fn few_accounts_match_serial(b in batch(4, 160)) {
        check(&b, 4);
    }
}

proptest! {
    #![proptest_config(config(0xBA70_0002))]
    /// Many accounts: mostly independent transactions, occasional conflicts.
    #[test]
    fn many_accounts_match_serial(b in batch(400, 300)) {
        check(&b, 400);
    }
}

proptest! {
    #![proptest_config(config(0xBA70_0003))]
    /// A hot account written by a fraction of the transactions, many cold ones.
    #[test]
    fn hot_account_matches_serial(
        b in prop::collection::vec(
            (prop::bool::weighted(0.5), prop::collection::vec((1..64u64, any::<bool>()), 0..3)),
            0..200,
        )
    ) {
        let batch: Vec<Accesses> = b
            .into_iter()
            .map(|(hot, mut acc)| {
                if hot {
                    acc.push((0, true));
                }
                acc
            })
            .collect();
        check(&batch, 64);
    }
}

proptest! {
    #![proptest_config(Config { cases: 4, ..config(0xBA70_0004) })]
    /// Batches of two waves and more, which `Scheduler::run` runs in waves
    /// on 2 and 4 threads (each wave's graph built while the previous wave
    /// runs): conflicts within a wave and across waves stay in order.
    #[test]
    fn long_batches_run_in_waves_match_serial(
        b in prop::collection::vec(
            prop::collection::vec((0..300u64, prop::bool::weighted(0.4)), 0..=4),
            2 * RUN_WAVE..2 * RUN_WAVE + 1_500,
        )
    ) {
        check(&b, 300);
    }
}
