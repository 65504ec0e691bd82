//! The store traits against `InMemoryAccounts`: semantics, concurrency and
//! the state hash.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use baton_accounts_db::{
    state_hash_of, AccountsCommit, AccountsRead, AccountsStore, InMemoryAccounts, StateHash,
};
use baton_types::{Account, Pubkey};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn account(lamports: u64, data: Vec<u8>, owner: u64) -> Account {
    let mut a = Account::with_data(lamports, data, &Pubkey::new_from_u64(owner));
    a.rent_epoch = lamports % 3;
    a.executable = matches!(lamports % 5, 0);
    a
}

/// Commit `changes` split across `threads` threads, each taking every
/// `threads`-th change.
fn commit_with_threads(store: &InMemoryAccounts, changes: &[(Pubkey, Account)], threads: usize) {
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for c in changes.iter().skip(t).step_by(threads) {
                    store.commit(std::slice::from_ref(c)).unwrap();
                }
            });
        }
    });
}

#[test]
fn usable_as_trait_objects() {
    let store: Arc<dyn AccountsStore> = Arc::new(InMemoryAccounts::new());
    let k = Pubkey::new_from_u64(1);
    store.commit(&[(k, account(3, vec![1], 2))]).unwrap();
    let read: &dyn AccountsRead = &store;
    assert_eq!(read.load(&k), Some(account(3, vec![1], 2)));
    let commit: Box<dyn AccountsCommit> = Box::new(Arc::clone(&store));
    commit.commit(&[(k, account(0, vec![], 0))]).unwrap();
    assert!(store.is_empty());
    assert_eq!(store.state_hash(), InMemoryAccounts::new().state_hash());
}

/// What `read_with` lent for `key`, copied out (`None`: absent), and how
/// many times it called back.
fn lent(store: &dyn AccountsRead, key: &Pubkey) -> (Option<Account>, usize) {
    let mut got = None;
    let mut calls = 0;
    store.read_with(key, &mut |a| {
        calls += 1;
        got = a.map(|a| a.to_account());
    });
    (got, calls)
}

#[test]
fn read_with_lends_what_load_copies() {
    let dir = tempfile::tempdir().unwrap();
    let durable = baton_accounts_db::DurableAccounts::open(dir.path().join("s.redb")).unwrap();
    let memory = InMemoryAccounts::new();
    let stores: [(&dyn AccountsStore, bool); 2] = [(&memory, true), (&durable, false)];
    let table = account(7, (0..=255u8).cycle().take(8248).collect(), 3);
    let (k, gone, never) = (
        Pubkey::new_from_u64(1),
        Pubkey::new_from_u64(2),
        Pubkey::new_from_u64(3),
    );
    for (store, lends) in stores {
        assert_eq!(store.lends(), lends);
        store
            .commit(&[(k, table.clone()), (gone, account(1, vec![1], 0))])
            .unwrap();
        store.commit(&[(gone, account(0, vec![], 0))]).unwrap();
        // Each key: one call back, with what `load` gives.
        for key in [k, gone, never] {
            assert_eq!(lent(store, &key), (store.load(&key), 1), "{key}");
        }
        assert_eq!(lent(store, &k).0, Some(table.clone()));
        // Through the pointer types, as the runtime holds a store.
        let arc: Arc<&dyn AccountsStore> = Arc::new(store);
        assert_eq!(arc.lends(), lends);
        assert_eq!(lent(&arc, &k), (Some(table.clone()), 1));
    }
}

#[test]
fn last_write_wins_within_one_commit() {
    let s = InMemoryAccounts::new();
    let k = Pubkey::new_from_u64(1);
    s.commit(&[(k, account(1, vec![], 0)), (k, account(2, vec![9], 0))])
        .unwrap();
    assert_eq!(s.load(&k), Some(account(2, vec![9], 0)));
    s.commit(&[(k, account(3, vec![], 0)), (k, account(0, vec![], 0))])
        .unwrap();
    assert_eq!(s.load(&k), None);
}

#[test]
fn for_each_and_sorted_list_every_account() {
    let s = InMemoryAccounts::new();
    let changes: Vec<_> = (0..1000u64)
        .rev()
        .map(|i| (Pubkey::new_from_u64(i), account(i + 1, vec![i as u8], 1)))
        .collect();
    s.commit(&changes).unwrap();
    let mut n = 0;
    s.for_each_account(&mut |k, a| {
        n += 1;
        // `f` runs with no lock held: reading back is fine.
        assert_eq!(s.load(&k), Some(a));
    })
    .unwrap();
    assert_eq!(n, 1000);
    let sorted = s.accounts_sorted().unwrap();
    assert!(sorted.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(sorted.len(), 1000);
}

#[test]
fn concurrent_disjoint_commits_with_concurrent_readers() {
    const WRITERS: u64 = 4;
    const KEYS_PER_WRITER: u64 = 500;
    const ROUNDS: u64 = 20;
    let store = InMemoryAccounts::new();
    let done = AtomicBool::new(false);
    // An account's data always names its own key and its lamports; a reader
    // that sees anything else has seen a torn write.
    let value = |key: u64, round: u64| {
        let lamports = if round % 7 == 6 {
            0
        } else {
            key * 1000 + round + 1
        };
        let mut data = key.to_le_bytes().to_vec();
        data.extend_from_slice(&lamports.to_le_bytes());
        account(lamports, data, key % 3)
    };
    std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let store = &store;
                s.spawn(move || {
                    let keys: Vec<u64> = (w * KEYS_PER_WRITER..(w + 1) * KEYS_PER_WRITER).collect();
                    for round in 0..ROUNDS {
                        for pair in keys.chunks(2) {
                            let changes: Vec<_> = pair
                                .iter()
                                .map(|&k| (Pubkey::new_from_u64(k), value(k, round)))
                                .collect();
                            store.commit(&changes).unwrap();
                        }
                    }
                })
            })
            .collect();
        for r in 0..2u64 {
            let (store, done) = (&store, &done);
            s.spawn(move || {
                let mut buf = Account::default();
                while !done.load(Ordering::Acquire) {
                    for k in (r..WRITERS * KEYS_PER_WRITER).step_by(7) {
                        let key = Pubkey::new_from_u64(k);
                        if store.load_into(&key, &mut buf) {
                            assert_eq!(buf.data[..8], k.to_le_bytes());
                            assert_eq!(buf.data[8..], buf.lamports.to_le_bytes());
                            assert_eq!(buf.lamports / 1000, k);
                        }
                    }
                }
            });
        }
        for w in writers {
            w.join().unwrap();
        }
        done.store(true, Ordering::Release);
    });
    let expected: BTreeMap<Pubkey, Account> = (0..WRITERS * KEYS_PER_WRITER)
        .map(|k| (Pubkey::new_from_u64(k), value(k, ROUNDS - 1)))
        .filter(|(_, a)| a.lamports != 0)
        .collect();
    assert_eq!(store.len(), expected.len());
    for (k, a) in &expected {
        assert_eq!(store.load(k).as_ref(), Some(a));
    }
    assert_eq!(store.state_hash(), state_hash_of(&expected));
}

#[test]
fn hash_is_independent_of_thread_count() {
    let changes: Vec<_> = (0..5000u64)
        .map(|i| {
            (
                Pubkey::new_from_u64(i * 7919 % 3001),
                account(i % 11, vec![i as u8; (i % 5) as usize], i % 4),
            )
        })
        .collect();
    // Keys repeat, so the final value depends on order: build the final
    // state first and let the threads commit that.
    let mut final_state = BTreeMap::new();
    for (k, a) in &changes {
        if a.lamports == 0 {
            final_state.remove(k);
        } else {
            final_state.insert(*k, a.clone());
        }
    }
    let finals: Vec<_> = final_state.iter().map(|(k, a)| (*k, a.clone())).collect();
    let want = state_hash_of(&final_state);
    let sequential = InMemoryAccounts::new();
    sequential.commit(&changes).unwrap();
    assert_eq!(sequential.state_hash(), want);
    for threads in [1, 2, 3, 8] {
        let s = InMemoryAccounts::with_capacity(100);
        commit_with_threads(&s, &finals, threads);
        assert_eq!(s.state_hash(), want, "{threads} threads");
    }
}

#[test]
fn one_byte_changes_the_hash_and_removal_restores_it() {
    let s = InMemoryAccounts::new();
    let base: Vec<_> = (0..100u64)
        .map(|i| (Pubkey::new_from_u64(i), account(i + 1, vec![0; 8], 1)))
        .collect();
    s.commit(&base).unwrap();
    let h0 = s.state_hash();
    assert_eq!(s.state_hash(), h0, "stable when nothing changes");

    let k = Pubkey::new_from_u64(50);
    let mut a = s.load(&k).unwrap();
    a.data[3] ^= 1;
    s.commit(&[(k, a.clone())]).unwrap();
    let h1 = s.state_hash();
    assert_ne!(h1, h0);
    a.data[3] ^= 1;
    s.commit(&[(k, a)]).unwrap();
    assert_eq!(s.state_hash(), h0, "restoring the byte restores the hash");

    // Each field counts.
    let fields: [fn(&mut Account); 5] = [
        |a| a.lamports += 1,
        |a| a.rent_epoch += 1,
        |a| a.owner.0[5] ^= 1,
        |a| a.executable = !a.executable,
        |a| a.data.push(0),
    ];
    for f in fields {
        let mut a = s.load(&k).unwrap();
        f(&mut a);
        s.commit(&[(k, a)]).unwrap();
        assert_ne!(s.state_hash(), h0);
        s.commit(&[(k, base[50].1.clone())]).unwrap();
        assert_eq!(s.state_hash(), h0);
    }

    let extra = Pubkey::new_from_u64(1_000);
    s.commit(&[(extra, account(9, vec![1, 2], 3))]).unwrap();
    assert_ne!(s.state_hash(), h0);
    s.commit(&[(extra, account(0, vec![1, 2], 3))]).unwrap();
    assert_eq!(
        s.state_hash(),
        h0,
        "removing the new account restores the hash"
    );
    // Also when the account is created and removed between two hashes.
    s.commit(&[(extra, account(9, vec![], 3))]).unwrap();
    s.commit(&[(extra, account(0, vec![], 3))]).unwrap();
    assert_eq!(s.state_hash(), h0);
}

#[test]
fn empty_store_hash_is_fixed() {
    let h: StateHash = InMemoryAccounts::new().state_hash();
    assert_eq!(h, state_hash_of(std::iter::empty()));
    assert_eq!(h.to_string().len(), 64);
}

fn op() -> impl Strategy<Value = (u16, u64, Vec<u8>)> {
    (
        0u16..64,
        0u64..4,
        proptest::collection::vec(any::<u8>(), 0..12),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: RngSeed::Fixed(0xBA70_0001),
        ..ProptestConfig::default()
    })]

    /// Any history of commits gives the same hash as committing its final
    /// state in any order, by any number of threads, and as hashing that
    /// state from scratch.
    #[test]
    fn state_hash_depends_only_on_final_state(
        ops in proptest::collection::vec(op(), 0..200),
        threads in 1usize..5,
        hash_every in 1usize..50,
    ) {
        let history = InMemoryAccounts::new();
        let mut model = BTreeMap::new();
        for (i, (k, lamports, data)) in ops.iter().enumerate() {
            let key = Pubkey::new_from_u64(u64::from(*k));
            let a = account(*lamports, data.clone(), u64::from(*k % 3));
            history.commit(&[(key, a.clone())]).unwrap();
            if *lamports == 0 { model.remove(&key); } else { model.insert(key, a); }
            if i % hash_every == 0 {
                // Hashing midway must not disturb the final result.
                prop_assert_eq!(history.state_hash(), state_hash_of(&model));
            }
        }
        let want = state_hash_of(&model);
        prop_assert_eq!(history.state_hash(), want);
        prop_assert_eq!(history.len(), model.len());

        let mut finals: Vec<_> = model.iter().map(|(k, a)| (*k, a.clone())).collect();
        finals.reverse();
        let parallel = InMemoryAccounts::new();
        commit_with_threads(&parallel, &finals, threads);
        prop_assert_eq!(parallel.state_hash(), want);
    }
}

/// Resident memory of the process, from `/proc` (Linux only).
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A million empty-data accounts fit in well under 250 MB. Ignored by
/// default (it wants a release build and a quiet process): run with
/// `cargo test --release -p baton-accounts-db --test store -- --ignored`.
#[test]
#[ignore]
fn a_million_accounts_fit_in_memory() {
    let Some(before) = rss_bytes() else { return };
    let store = InMemoryAccounts::with_capacity(1_000_000);
    let owner = Pubkey::new_from_u64(1);
    let mut x = 1u64;
    let mut batch = Vec::with_capacity(1000);
    for _ in 0..1000 {
        batch.clear();
        for _ in 0..1000 {
            let mut key = [0u8; 32];
            for chunk in key.chunks_mut(8) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                chunk.copy_from_slice(&x.to_le_bytes());
            }
            batch.push((Pubkey(key), Account::new(1, 0, &owner)));
        }
        store.commit(&batch).unwrap();
    }
    let _ = store.state_hash();
    let used = rss_bytes().unwrap_or(0).saturating_sub(before);
    eprintln!("1,000,000 accounts: {} MB resident", used / 1_000_000);
    assert_eq!(store.len(), 1_000_000);
    assert!(used < 200_000_000, "{used} bytes");
}
