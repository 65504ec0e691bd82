//! v0 messages through the runtime: without address table lookups a v0
//! transaction runs exactly like its legacy twin (Agave accepts it); with
//! lookups, which are not resolved yet, it is refused at admission with
//! `UnsupportedVersion`, charged nothing, in a batch and in a simulation.
#![allow(clippy::unwrap_used)]

use baton::types::{MessageAddressTableLookup, MessageVersion};
use baton::{
    system, wire, Hash, Instruction, Keypair, Message, Pubkey, Runtime, Transaction,
    TransactionError,
};

fn kp(n: u8) -> Keypair {
    Keypair::from_seed(&[n; 32])
}

fn runtime() -> Runtime {
    Runtime::new().with_threads(2)
}

/// `ixs` paid and signed by `payer`, in the v0 format with `lookups`.
fn signed_v0(
    blockhash: Hash,
    ixs: &[Instruction],
    payer: &Keypair,
    lookups: Vec<MessageAddressTableLookup>,
) -> Transaction {
    let m = Message::new(ixs, Some(&payer.pubkey())).into_v0(lookups);
    let mut tx = Transaction::new_unsigned(m);
    tx.sign(&[payer], blockhash).unwrap();
    tx
}

fn signed_legacy(blockhash: Hash, ixs: &[Instruction], payer: &Keypair) -> Transaction {
    Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &[payer], blockhash).unwrap()
}

fn lookup() -> MessageAddressTableLookup {
    MessageAddressTableLookup {
        account_key: Pubkey::new_from_u64(77),
        writable_indexes: vec![0],
        readonly_indexes: vec![1],
    }
}

#[test]
fn v0_without_lookups_runs_like_its_legacy_twin() {
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    let ixs = [
        system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000),
        // A second instruction that fails: the failure is charged the same.
        system::instruction::transfer(&alice.pubkey(), &bob, 1),
    ];
    let mut results = Vec::new();
    for v0 in [false, true] {
        let mut rt = runtime();
        rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
        let bh = rt.latest_blockhash();
        let ok = if v0 {
            signed_v0(bh, &ixs[..1], &alice, Vec::new())
        } else {
            signed_legacy(bh, &ixs[..1], &alice)
        };
        assert_eq!(ok.message.is_versioned(), v0);
        // Through the wire bytes: what a client sends.
        let ok = Transaction::from_bytes(&ok.to_bytes()).unwrap();
        let too_much = [system::instruction::transfer(
            &alice.pubkey(),
            &bob,
            100_000_000,
        )];
        let fails = if v0 {
            signed_v0(bh, &too_much, &alice, Vec::new())
        } else {
            signed_legacy(bh, &too_much, &alice)
        };
        let r = rt.execute_batch(&[ok, fails]);
        assert_eq!(r[0].status, Ok(()), "v0 {v0}");
        assert_eq!(r[0].fee, 5_000);
        assert_eq!(r[0].compute_units_consumed, 150);
        assert!(matches!(
            r[1].status,
            Err(TransactionError::InstructionError(0, _))
        ));
        assert_eq!(r[1].fee, 5_000);
        assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 1_000_000 - 10_000);
        assert_eq!(rt.balance(&bob), 1_000_000);
        let strip = |r: &baton::TransactionResult| {
            (r.status, r.fee, r.compute_units_consumed, r.logs.clone())
        };
        results.push((
            r.iter().map(strip).collect::<Vec<_>>(),
            rt.account(&alice.pubkey()),
        ));
    }
    assert_eq!(results[0], results[1]);
}

#[test]
fn v0_with_lookups_is_refused_before_anything_runs() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let bh = rt.latest_blockhash();
    let transfer = |n| [system::instruction::transfer(&alice.pubkey(), &bob, n)];
    let refused = signed_v0(bh, &transfer(1_000), &alice, vec![lookup()]);
    // The bytes are a valid v0 transaction.
    assert_eq!(wire::sanitize_transaction(&refused), Ok(()));
    assert_eq!(
        Transaction::from_bytes(&refused.to_bytes()).as_ref(),
        Ok(&refused)
    );
    assert_eq!(
        rt.simulate_transaction(&refused).result.status,
        Err(TransactionError::UnsupportedVersion)
    );
    // A batch mixing legacy, v0 without lookups and v0 with lookups.
    let batch = [
        signed_legacy(bh, &transfer(1_000_000), &alice),
        refused.clone(),
        signed_v0(bh, &transfer(2_000_000), &alice, Vec::new()),
    ];
    let r = rt.execute_batch(&batch);
    assert_eq!(r[0].status, Ok(()));
    assert_eq!(r[1].status, Err(TransactionError::UnsupportedVersion));
    assert_eq!((r[1].fee, r[1].compute_units_consumed), (0, 0));
    assert!(r[1].logs.is_empty());
    assert_eq!(r[2].status, Ok(()));
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 3_000_000 - 10_000);
    assert_eq!(rt.balance(&bob), 3_000_000);
    // Still refused when sent again (nothing was recorded for it).
    let r = rt.execute_batch(&[refused]);
    assert_eq!(r[0].status, Err(TransactionError::UnsupportedVersion));
}

#[test]
fn a_version_other_than_0_is_unsupported_on_the_wire() {
    let alice = kp(1);
    let tx = signed_v0(
        Hash::default(),
        &[system::instruction::transfer(
            &alice.pubkey(),
            &Pubkey::new_from_u64(2),
            1,
        )],
        &alice,
        Vec::new(),
    );
    assert_eq!(tx.message.version, MessageVersion::V0);
    let mut bytes = tx.to_bytes();
    assert_eq!(bytes[65], 0x80);
    bytes[65] = 0x82;
    let e = Transaction::from_bytes(&bytes).unwrap_err();
    assert_eq!(e, baton::WireError::UnsupportedVersion { version: 2 });
    assert_eq!(
        TransactionError::from(e),
        TransactionError::UnsupportedVersion
    );
}

/// A seeded batch mixing legacy and v0 transactions (some with lookups,
/// refused), with and without compute-budget instructions and prices, over
/// a few accounts that conflict: the same results and balances on 1 and 4
/// threads.
#[test]
fn mixed_legacy_and_v0_batches_are_serial_equivalent() {
    use baton::compute_budget::instruction::{set_compute_unit_limit, set_compute_unit_price};
    use rand::{Rng, SeedableRng};

    let payers: Vec<Keypair> = (1..=4).map(kp).collect();
    let sinks: Vec<Pubkey> = (100..104).map(Pubkey::new_from_u64).collect();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(22);
    let mut runtimes: Vec<Runtime> = [1, 4]
        .iter()
        .map(|&t| Runtime::new().with_threads(t))
        .collect();
    for rt in &mut runtimes {
        for p in &payers {
            rt.airdrop(&p.pubkey(), 50_000_000).unwrap();
        }
    }
    let bh = runtimes[0].latest_blockhash();
    let batch: Vec<Transaction> = (0..200)
        .map(|_| {
            let payer = &payers[rng.gen_range(0..payers.len())];
            let to = sinks[rng.gen_range(0..sinks.len())];
            let mut ixs = Vec::new();
            if rng.gen_bool(0.5) {
                ixs.push(set_compute_unit_price(rng.gen_range(0..3_000_000)));
            }
            if rng.gen_bool(0.3) {
                ixs.push(set_compute_unit_limit(rng.gen_range(200..1_000)));
            }
            // Sometimes more than the payer holds: a failure, charged.
            let lamports = if rng.gen_bool(0.1) {
                1 << 40
            } else {
                rng.gen_range(1_000_000..2_000_000)
            };
            ixs.push(system::instruction::transfer(
                &payer.pubkey(),
                &to,
                lamports,
            ));
            match rng.gen_range(0..5) {
                0 | 1 => signed_legacy(bh, &ixs, payer),
                2 | 3 => signed_v0(bh, &ixs, payer, Vec::new()),
                _ => signed_v0(bh, &ixs, payer, vec![lookup()]),
            }
        })
        .collect();
    let mut outcomes = Vec::new();
    for rt in &mut runtimes {
        let results = rt.execute_batch(&batch);
        let balances: Vec<u64> = payers
            .iter()
            .map(|p| p.pubkey())
            .chain(sinks.iter().copied())
            .map(|k| rt.balance(&k))
            .collect();
        outcomes.push((results, balances));
    }
    let (results, _) = &outcomes[0];
    let count =
        |f: &dyn Fn(&baton::TransactionResult) -> bool| results.iter().filter(|r| f(r)).count();
    assert!(count(&|r| r.status.is_ok()) > 50);
    assert!(count(&|r| r.status == Err(TransactionError::UnsupportedVersion)) > 20);
    assert!(count(&|r| r.fee_details.prioritization_fee > 0) > 30);
    assert!(count(&|r| matches!(r.status, Err(TransactionError::InstructionError(..)))) > 5);
    assert_eq!(outcomes[0], outcomes[1]);
}
