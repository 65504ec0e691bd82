//! Unit tests of the in-memory store: loads, commits and removal, the
//! incremental state hash under churn, prefetch hints, shard spread.
use super::*;
use crate::state_hash_of;

fn acc(lamports: u64, data: &[u8]) -> Account {
    Account::with_data(lamports, data.to_vec(), &Pubkey::new_from_u64(1_000_000))
}

#[test]
fn entry_is_small() {
    assert_eq!(std::mem::size_of::<Entry>(), 72);
    assert_eq!(std::mem::size_of::<(Pubkey, Entry)>(), 104);
}

#[test]
fn load_commit_and_remove_on_zero() {
    let s = InMemoryAccounts::new();
    let k = Pubkey::new_from_u64(1);
    assert_eq!(s.load(&k), None);
    s.commit(&[(k, acc(10, b"abc"))]).unwrap();
    assert_eq!(s.load(&k), Some(acc(10, b"abc")));
    assert_eq!(s.load_lamports(&k), Some(10));
    assert!(s.contains(&k));
    let mut out = acc(1, b"a much longer buffer");
    assert!(s.load_into(&k, &mut out));
    assert_eq!(out, acc(10, b"abc"));
    assert!(!s.load_into(&Pubkey::new_from_u64(2), &mut out));
    assert_eq!(out, acc(10, b"abc"));
    assert_eq!(s.len(), 1);
    s.commit(&[(k, acc(0, b"still has data"))]).unwrap();
    assert_eq!(s.load(&k), None);
    assert!(s.is_empty());
    // Removing what is absent is a no-op.
    s.commit(&[(k, acc(0, b""))]).unwrap();
    assert!(s.is_empty());
}

#[test]
fn oversized_commit_changes_nothing() {
    let s = InMemoryAccounts::new();
    let k1 = Pubkey::new_from_u64(1);
    let k2 = Pubkey::new_from_u64(2);
    let big = Account::new(1, MAX_PERMITTED_DATA_LENGTH + 1, &Pubkey::default());
    let err = s.commit(&[(k1, acc(5, b"")), (k2, big)]).unwrap_err();
    assert!(matches!(err, StoreError::DataTooLarge { key, .. } if key == k2));
    assert!(s.is_empty());
}

#[test]
fn incremental_hash_matches_from_scratch_under_churn() {
    let s = InMemoryAccounts::new();
    let mut model = std::collections::BTreeMap::new();
    let mut x = 7u64;
    for round in 0..40 {
        for _ in 0..200 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = Pubkey::new_from_u64((x >> 33) % 300);
            let lamports = (x >> 20) % 4; // a quarter of the writes remove
            let a = acc(lamports, &x.to_le_bytes()[..(x % 9) as usize]);
            s.commit(&[(k, a.clone())]).unwrap();
            if lamports == 0 {
                model.remove(&k);
            } else {
                model.insert(k, a);
            }
        }
        if round % 3 == 0 {
            assert_eq!(s.state_hash(), state_hash_of(&model), "round {round}");
        }
    }
    assert_eq!(s.state_hash(), state_hash_of(&model));
    assert_eq!(s.len(), model.len());
}

#[test]
fn dirty_list_stays_bounded_under_create_delete_churn() {
    let s = InMemoryAccounts::new();
    let k = Pubkey::new_from_u64(9);
    for i in 0..100_000u64 {
        s.commit(&[(k, acc(i % 2, b""))]).unwrap();
    }
    let shard = s.shard(&k).read();
    assert!(shard.dirty.len() <= 1024 + 2 * shard.map.len() + 1);
    assert!(shard.retired.len() <= 1);
}

#[test]
fn prefetch_hints_follow_growing_tables() {
    let s = InMemoryAccounts::new();
    let check = |s: &InMemoryAccounts| {
        for (p, hint) in s.shards.iter().zip(s.hints.iter()) {
            assert!(hint.matches(&p.0.read().map));
        }
    };
    check(&s);
    for i in 0..20_000u64 {
        let k = Pubkey::new_from_u64(i);
        s.prefetch(&k);
        s.commit(&[(k, acc(1 + i, b""))]).unwrap();
    }
    check(&s);
    s.store_account(Pubkey::new_from_u64(7), acc(3, b"x"))
        .unwrap();
    check(&s);
    // Prefetching changes nothing.
    let before = s.state_hash();
    for i in 0..30_000u64 {
        s.prefetch(&Pubkey::new_from_u64(i));
    }
    assert_eq!(s.state_hash(), before);
    assert_eq!(s.load_lamports(&Pubkey::new_from_u64(9)), Some(10));
}

#[test]
fn counter_keys_spread_evenly_over_shards() {
    // Fixed seeds: with a store's random seed the bounds can fail for an
    // unlucky seed (it happened once in a whole test run).
    for seed in 0..4 {
        let s = InMemoryAccounts::with_capacity_and_hasher(0, PubkeyHasherBuilder::with_seed(seed));
        let n = SHARDS as u64 * 500;
        let mut counts = vec![0u32; SHARDS];
        for i in 0..n {
            let k = Pubkey::new_from_u64(i);
            let p = s.shard(&k) as *const _;
            let idx = s.shards.iter().position(|q| std::ptr::eq(&q.0, p)).unwrap();
            counts[idx] += 1;
        }
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(
            *min > 400 && *max < 600,
            "seed {seed}: shard loads {min}..{max}"
        );
    }
}
