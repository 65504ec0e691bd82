//! The runtime over the durable store: the same results and state hash as
//! the in-memory default, and the state back after reopening.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton::{system, AccountsStore, Keypair, Pubkey, Runtime, Transaction};

fn transfers(rt: &Runtime, payers: &[Keypair], round: u64) -> Vec<Transaction> {
    payers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let to = Pubkey::new_from_u64(1000 + (i as u64 + round) % 7);
            let ix = system::instruction::transfer(&p.pubkey(), &to, 1_000_000 + round);
            Transaction::new_signed_with_payer(
                &[ix],
                Some(&p.pubkey()),
                &[p],
                rt.latest_blockhash(),
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn durable_runtime_matches_in_memory_and_reopens_to_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let payers: Vec<Keypair> = (1..=16u8).map(|n| Keypair::from_seed(&[n; 32])).collect();
    let mut mem = Runtime::new().with_threads(2);
    let mut durable = Runtime::new().with_threads(2).with_storage(&path).unwrap();
    assert_eq!(durable.state_hash(), mem.state_hash());
    for p in &payers {
        mem.airdrop(&p.pubkey(), 1_000_000_000).unwrap();
        durable.airdrop(&p.pubkey(), 1_000_000_000).unwrap();
    }
    for round in 0..5 {
        let txs = transfers(&mem, &payers, round);
        let a = mem.execute_batch(&txs);
        let b = durable.execute_batch(&txs);
        assert_eq!(a, b);
        assert!(a.iter().all(|r| r.status.is_ok()));
        assert_eq!(durable.state_hash(), mem.state_hash(), "round {round}");
        assert!(durable.take_store_errors().is_empty());
    }
    let hash = durable.state_hash();
    drop(durable);
    let reopened = Runtime::new().with_threads(2).with_storage(&path).unwrap();
    assert_eq!(reopened.state_hash(), hash);
    assert_eq!(
        reopened.balance(&Pubkey::new_from_u64(1000)),
        mem.balance(&Pubkey::new_from_u64(1000))
    );
    assert_eq!(reopened.store().len(), mem.store().len());
}

#[test]
fn with_storage_reports_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.redb");
    std::fs::write(&path, b"definitely not a database").unwrap();
    let err = Runtime::new().with_storage(&path).unwrap_err();
    assert!(err.to_string().contains("junk.redb"), "{err}");
}
