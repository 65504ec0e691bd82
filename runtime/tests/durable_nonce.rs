//! Durable-nonce transactions through the runtime: a transaction whose
//! blockhash has expired runs when its first instruction advances a nonce
//! account holding that blockhash as its durable nonce; a failing one
//! still advances the nonce and pays; a nonce used earlier in the same
//! batch is used up for later ones, on every thread count as one at a time
//! (docs/semantics.md §1.2).
#![allow(clippy::unwrap_used)]

use baton::system::nonce::{State, Versions};
use baton::{system, Hash, Keypair, Pubkey, Runtime, Transaction, TransactionError};

fn kp(n: u8) -> Keypair {
    Keypair::from_seed(&[n; 32])
}

/// A runtime with a funded payer and an initialized nonce account the
/// payer controls, its blockhash since expired: the nonce account's key and
/// the durable nonce (the blockhash a nonce transaction names).
fn world(threads: usize, payer: &Keypair, nonce: &Keypair) -> (Runtime, Hash) {
    let mut rt = Runtime::new().with_threads(threads);
    rt.airdrop(&payer.pubkey(), 10_000_000_000).unwrap();
    let ixs = system::instruction::create_nonce_account(
        &payer.pubkey(),
        &nonce.pubkey(),
        &payer.pubkey(),
        rt.minimum_balance_for_rent_exemption(80),
    );
    let tx = Transaction::new_signed_with_payer(
        &ixs,
        Some(&payer.pubkey()),
        &[payer, nonce],
        rt.latest_blockhash(),
    )
    .unwrap();
    assert_eq!(rt.send_transaction(tx).status, Ok(()));
    // Move past the blockhash the nonce stored, and past the queue.
    for _ in 0..200 {
        rt.expire_blockhash();
    }
    let durable = stored_nonce(&rt, &nonce.pubkey());
    (rt, durable)
}

/// The durable nonce stored in `key`.
fn stored_nonce(rt: &Runtime, key: &Pubkey) -> Hash {
    let data = rt.account(key).unwrap().data;
    match Versions::from_account_data(&data).unwrap().state() {
        State::Initialized(d) => d.blockhash(),
        State::Uninitialized => panic!("uninitialized nonce"),
    }
}

/// A transfer of `lamports` under the durable nonce `durable`.
fn nonced(payer: &Keypair, nonce: &Pubkey, durable: Hash, lamports: u64) -> Transaction {
    let ixs = [
        system::instruction::advance_nonce_account(nonce, &payer.pubkey()),
        system::instruction::transfer(&payer.pubkey(), &Pubkey::new_from_u64(42), lamports),
    ];
    Transaction::new_signed_with_payer(&ixs, Some(&payer.pubkey()), &[payer], durable).unwrap()
}

#[test]
fn an_expired_blockhash_runs_as_a_durable_nonce_and_advances_it() {
    let (payer, nonce) = (kp(1), kp(2));
    let (mut rt, durable) = world(1, &payer, &nonce);
    // The blockhash is expired, so a plain transaction naming it fails.
    let plain = Transaction::new_signed_with_payer(
        &[system::instruction::transfer(
            &payer.pubkey(),
            &Pubkey::new_from_u64(42),
            1_000_000,
        )],
        Some(&payer.pubkey()),
        &[&payer],
        durable,
    )
    .unwrap();
    assert_eq!(
        rt.send_transaction(plain).status,
        Err(TransactionError::BlockhashNotFound)
    );
    let r = rt.send_transaction(nonced(&payer, &nonce.pubkey(), durable, 1_000_000));
    assert_eq!(r.status, Ok(()));
    assert_ne!(stored_nonce(&rt, &nonce.pubkey()), durable);
    // Used: the same nonce again is refused, uncharged.
    let before = rt.balance(&payer.pubkey());
    let again = rt.send_transaction(nonced(&payer, &nonce.pubkey(), durable, 2_000_000));
    assert_eq!(again.status, Err(TransactionError::BlockhashNotFound));
    assert_eq!(rt.balance(&payer.pubkey()), before);
}

#[test]
fn a_failing_nonce_transaction_still_advances_the_nonce_and_pays() {
    let (payer, nonce) = (kp(1), kp(2));
    let (mut rt, durable) = world(1, &payer, &nonce);
    let before = rt.balance(&payer.pubkey());
    // More than the payer holds: the transfer fails.
    let r = rt.send_transaction(nonced(&payer, &nonce.pubkey(), durable, 1 << 60));
    assert!(
        matches!(r.status, Err(TransactionError::InstructionError(1, _))),
        "{r:?}"
    );
    assert_eq!(r.fee, 5_000);
    assert_eq!(rt.balance(&payer.pubkey()), before - 5_000);
    assert_ne!(stored_nonce(&rt, &nonce.pubkey()), durable);
}

#[test]
fn a_nonce_used_earlier_in_the_batch_is_used_up_on_every_thread_count() {
    let (payer, nonce) = (kp(1), kp(2));
    let batch: Vec<Transaction> = (0..3)
        .map(|n| {
            let (rt, durable) = world(1, &payer, &nonce);
            drop(rt);
            nonced(&payer, &nonce.pubkey(), durable, 1_000_000 + n)
        })
        .collect();
    let (serial, _) = world(1, &payer, &nonce);
    let statuses =
        one_at_a_time_and_batched(serial, &batch, |threads| world(threads, &payer, &nonce).0);
    assert_eq!(statuses[0], Ok(()));
    assert_eq!(statuses[1], Err(TransactionError::BlockhashNotFound));
    assert_eq!(statuses[2], Err(TransactionError::BlockhashNotFound));
}

/// A nonce advanced by a transaction with a recent blockhash (one that
/// needs no nonce check) earlier in the batch is used up for a later
/// durable-nonce transaction: with signature checks off, on one and two
/// threads admission scans the batch for nonce accounts only where it
/// meets the durable-nonce transaction, and must then note that the
/// advance before it writes the account.
#[test]
fn a_nonce_advanced_earlier_in_the_batch_by_a_recent_transaction_is_used_up() {
    let (payer, nonce) = (kp(1), kp(2));
    let world = |threads: usize| {
        let (rt, durable) = world(threads, &payer, &nonce);
        (rt.with_sigverify(false), durable)
    };
    let (serial, durable) = world(1);
    let advance = Transaction::new_signed_with_payer(
        &[system::instruction::advance_nonce_account(
            &nonce.pubkey(),
            &payer.pubkey(),
        )],
        Some(&payer.pubkey()),
        &[&payer],
        serial.latest_blockhash(),
    )
    .unwrap();
    let transfer = |n: u64| {
        let ix = system::instruction::transfer(&payer.pubkey(), &Pubkey::new_from_u64(7), n);
        Transaction::new_signed_with_payer(
            &[ix],
            Some(&payer.pubkey()),
            &[&payer],
            serial.latest_blockhash(),
        )
        .unwrap()
    };
    let batch = vec![
        transfer(1_000),
        advance,
        transfer(2_000),
        nonced(&payer, &nonce.pubkey(), durable, 1_000_000),
        transfer(3_000),
    ];
    let statuses = one_at_a_time_and_batched(serial, &batch, |threads| world(threads).0);
    assert_eq!(statuses[1], Ok(()));
    assert_eq!(statuses[3], Err(TransactionError::BlockhashNotFound));
}

/// `batch` sent one transaction at a time to `serial`, then run as a batch
/// on runtimes of 1, 2 and 4 threads from `world`: the same results and
/// state every time. The statuses, one at a time.
fn one_at_a_time_and_batched(
    mut serial: Runtime,
    batch: &[Transaction],
    world: impl Fn(usize) -> Runtime,
) -> Vec<Result<(), TransactionError>> {
    let expected: Vec<_> = batch
        .iter()
        .map(|t| serial.send_transaction(t.clone()))
        .collect();
    for threads in [1, 2, 4] {
        let mut rt = world(threads);
        assert_eq!(rt.execute_batch(batch), expected, "{threads} threads");
        assert_eq!(rt.state_hash(), serial.state_hash(), "{threads} threads");
    }
    expected.into_iter().map(|r| r.status).collect()
}
