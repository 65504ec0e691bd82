//! A batch whose transactions change a lookup table that later ones in
//! the same batch look up: the later ones resolve after the change, as if
//! the batch were sent one transaction at a time (the admission barrier,
//! `runtime/src/batch/admit.rs`), on every thread count (1 to 16).
#![allow(clippy::unwrap_used)]

use baton::sdk::address_lookup_table as alt;
use baton::types::AddressLookupTableAccount;
use baton::{
    system, AccountsRead, Hash, Keypair, Message, Pubkey, Runtime, Transaction, TransactionError,
};

fn kp(n: u8) -> Keypair {
    Keypair::from_seed(&[n; 32])
}

/// A runtime at slot 10 with funded payers, signature checks off (the
/// signatures are good): on two threads its stateless checks and lookups
/// then run in admission, where the durable runtime below, checking
/// signatures, has them in a pass of their own.
fn runtime(threads: usize, payers: &[Keypair]) -> Runtime {
    fund(
        Runtime::new().with_threads(threads).with_sigverify(false),
        payers,
    )
}

/// The same on a durable store in `dir`, which copies an account on every
/// read instead of lending it, so that lookups read copies of the tables
/// kept for the batch (`TableReader`) rather than the store in place.
fn durable_runtime(threads: usize, payers: &[Keypair], dir: &std::path::Path) -> Runtime {
    let rt = Runtime::new()
        .with_threads(threads)
        .with_storage(dir.join(format!("{threads}.redb")))
        .unwrap();
    assert!(!rt.store().lends());
    fund(rt, payers)
}

fn fund(mut rt: Runtime, payers: &[Keypair]) -> Runtime {
    for p in payers {
        rt.airdrop(&p.pubkey(), 10_000_000_000).unwrap();
    }
    rt.warp_to_slot(10);
    rt
}

fn legacy(bh: Hash, payer: &Keypair, to: Pubkey, nonce: u64) -> Transaction {
    let ix = system::instruction::transfer(&payer.pubkey(), &to, 1_000_000 + nonce);
    Transaction::new_signed_with_payer(&[ix], Some(&payer.pubkey()), &[payer], bh).unwrap()
}

/// A transfer to `to`, loaded from `table` (which is to hold it at entry 0).
fn through(bh: Hash, payer: &Keypair, to: Pubkey, table: Pubkey, nonce: u64) -> Transaction {
    let ixs = [system::instruction::transfer(
        &payer.pubkey(),
        &to,
        1_000_000 + nonce,
    )];
    let tables = [AddressLookupTableAccount {
        key: table,
        addresses: vec![to],
    }];
    let m = Message::try_compile_v0(&payer.pubkey(), &ixs, &tables, &bh).unwrap();
    assert_eq!(m.address_table_lookups.len(), 1);
    let mut tx = Transaction::new_unsigned(m);
    tx.sign(&[payer], bh).unwrap();
    tx
}

/// `batch` run on each thread count and one transaction at a time: the
/// same results and state; the one-at-a-time results. The scheduler's
/// serial fallback is off, so that each thread count runs its own path:
/// pipelined waves with barriers below 8 threads, and from 8 the same
/// (a batch that writes a table it looks up is never planned).
fn all_agree(payers: &[Keypair], batch: &[Transaction]) -> Vec<Result<(), TransactionError>> {
    baton::scheduler::set_serial_fallback(false);
    let mut serial = runtime(1, payers);
    let expected: Vec<_> = batch
        .iter()
        .map(|tx| serial.send_transaction(tx.clone()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for threads in [1, 2, 4, 8, 16] {
        let lent = runtime(threads, payers);
        assert!(lent.store().lends());
        for (store, mut rt) in [
            ("lent", lent),
            ("copied", durable_runtime(threads, payers, dir.path())),
        ] {
            let got = rt.execute_batch(batch);
            assert_eq!(got, expected, "{threads} threads, tables {store}");
            assert_eq!(
                rt.state_hash(),
                serial.state_hash(),
                "{threads} threads, tables {store}"
            );
        }
    }
    expected.into_iter().map(|r| r.status).collect()
}

#[test]
fn a_table_created_earlier_in_the_batch_exists_for_later_lookups() {
    let payers = [kp(1), kp(2)];
    let bh = runtime(1, &payers).latest_blockhash();
    let authority = Pubkey::new_from_u64(9);
    let (create, table) = alt::create_lookup_table(authority, payers[0].pubkey(), 9);
    let bob = Pubkey::new_from_u64(2);
    let before = through(bh, &payers[1], bob, table, 0);
    let create =
        Transaction::new_signed_with_payer(&[create], Some(&payers[0].pubkey()), &[&payers[0]], bh)
            .unwrap();
    let after = through(bh, &payers[1], bob, table, 1);
    let statuses = all_agree(&payers, &[before, create, after]);
    // Before: no table. After: a table, created this slot, with no
    // usable entry yet.
    assert_eq!(
        statuses,
        vec![
            Err(TransactionError::AddressLookupTableNotFound),
            Ok(()),
            Err(TransactionError::InvalidAddressLookupTableIndex),
        ]
    );
}

/// What the long batches below are made of: eight payers, the blockhash,
/// 64 sinks, and a transaction creating a lookup table (with the table's
/// key).
fn long_batch_world() -> (Vec<Keypair>, Hash, Vec<Pubkey>, Transaction, Pubkey) {
    let payers: Vec<Keypair> = (1..=8).map(kp).collect();
    let bh = runtime(1, &payers).latest_blockhash();
    let sinks: Vec<Pubkey> = (100..164).map(Pubkey::new_from_u64).collect();
    let authority = Pubkey::new_from_u64(9);
    let (create, table) = alt::create_lookup_table(authority, payers[0].pubkey(), 9);
    let create =
        Transaction::new_signed_with_payer(&[create], Some(&payers[0].pubkey()), &[&payers[0]], bh)
            .unwrap();
    (payers, bh, sinks, create, table)
}

#[test]
fn a_barrier_deep_in_a_long_batch_keeps_it_serial_equivalent() {
    let (payers, bh, sinks, create, table) = long_batch_world();
    // Past the first waves (32, 128, 512, 1,024): the create, then lookups
    // of its table in the same wave and the next ones, among transfers.
    let mut batch = Vec::new();
    for n in 0..3_000u64 {
        let payer = &payers[(n % 8) as usize];
        let to = sinks[(n % 64) as usize];
        batch.push(match n {
            1_500 => create.clone(),
            _ if n > 1_500 && n % 7 == 0 => through(bh, payer, to, table, n),
            _ if n < 1_500 && n % 97 == 0 => through(bh, payer, to, table, n),
            _ => legacy(bh, payer, to, n),
        });
    }
    let statuses = all_agree(&payers, &batch);
    for (n, s) in statuses.iter().enumerate() {
        let expected = match n {
            1_500 => Ok(()),
            _ if n > 1_500 && n % 7 == 0 => Err(TransactionError::InvalidAddressLookupTableIndex),
            _ if n < 1_500 && n % 97 == 0 => Err(TransactionError::AddressLookupTableNotFound),
            _ => Ok(()),
        };
        assert_eq!(s, &expected, "transaction {n}");
    }
}

/// A table created by a plain transaction before any transaction of the
/// batch looks one up: on one and two threads without signature checks
/// admission scans the batch for its tables only where it meets the first
/// lookup, and must then note what the transactions before it may write.
/// Early (in the first wave) and deep in a long batch (past the first
/// waves, with the create's wave still running when the scan is made).
#[test]
fn a_table_created_before_any_lookup_in_the_batch_exists_for_them() {
    let (payers, bh, sinks, create, table) = long_batch_world();
    for (len, at, first_lookup) in [(80, 3, 9), (3_000, 1_500, 1_503)] {
        let looks_up = |n: u64| n >= first_lookup && n.is_multiple_of(5);
        let batch: Vec<Transaction> = (0..len as u64)
            .map(|n| {
                let payer = &payers[(n % 8) as usize];
                let to = sinks[(n % 64) as usize];
                match n {
                    _ if n == at => create.clone(),
                    _ if looks_up(n) => through(bh, payer, to, table, n),
                    _ => legacy(bh, payer, to, n),
                }
            })
            .collect();
        assert!(batch[..first_lookup as usize]
            .iter()
            .all(|tx| tx.message.address_table_lookups.is_empty()));
        let statuses = all_agree(&payers, &batch);
        for (n, s) in statuses.iter().enumerate() {
            let expected = if looks_up(n as u64) {
                Err(TransactionError::InvalidAddressLookupTableIndex)
            } else {
                Ok(())
            };
            assert_eq!(s, &expected, "batch of {len}, transaction {n}");
        }
    }
}
