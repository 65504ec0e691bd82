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
