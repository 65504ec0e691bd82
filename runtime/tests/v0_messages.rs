//! v0 messages through the runtime: without address table lookups a v0
//! transaction runs exactly like its legacy twin (Agave accepts it); with
//! lookups, the keys are loaded from the tables at admission and take part
//! in locks, writability and execution like static keys; a lookup that
//! fails refuses the transaction before anything runs, charged nothing
//! (docs/semantics.md §1.3).
#![allow(clippy::unwrap_used)]

use baton::sdk::address_lookup_table::LookupTableMeta;
use baton::types::{
    ids, AddressLookupTableAccount, InstructionError, MessageAddressTableLookup, MessageVersion,
};
use baton::{
    system, wire, Account, Hash, Instruction, Keypair, Message, Pubkey, Runtime, Transaction,
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

/// A table account holding `addresses`, deactivated at `deactivation`
/// (`u64::MAX`: active), last extended in slot 0.
fn table_account(addresses: &[Pubkey], deactivation: u64) -> Account {
    let meta = LookupTableMeta {
        deactivation_slot: deactivation,
        ..LookupTableMeta::active(None, 0)
    };
    Account {
        lamports: 10_000_000,
        data: meta.encode(addresses),
        owner: ids::ADDRESS_LOOKUP_TABLE_PROGRAM,
        executable: false,
        rent_epoch: 0,
    }
}

const TABLE: Pubkey = Pubkey::new_from_array([77; 32]);

/// `addresses` stored as a table at [`TABLE`], for compiling; the slot
/// moves past the table's extension so that its addresses are active.
fn install_table(rt: &mut Runtime, addresses: &[Pubkey]) -> AddressLookupTableAccount {
    rt.set_account(TABLE, table_account(addresses, u64::MAX))
        .unwrap();
    rt.warp_to_slot(10);
    AddressLookupTableAccount {
        key: TABLE,
        addresses: addresses.to_vec(),
    }
}

/// `ixs` compiled through `tables` into a v0 message, signed by `payer`.
fn signed_through(
    bh: Hash,
    ixs: &[Instruction],
    payer: &Keypair,
    tables: &[AddressLookupTableAccount],
) -> Transaction {
    let m = Message::try_compile_v0(&payer.pubkey(), ixs, tables, &bh).unwrap();
    let mut tx = Transaction::new_unsigned(m);
    tx.sign(&[payer], bh).unwrap();
    tx
}

/// `tx`'s message edited by `edit`, signed again by `payer`.
fn resigned(tx: &Transaction, payer: &Keypair, edit: impl FnOnce(&mut Message)) -> Transaction {
    let mut m = tx.message.clone();
    edit(&mut m);
    let bh = m.recent_blockhash;
    let mut tx = Transaction::new_unsigned(m);
    tx.sign(&[payer], bh).unwrap();
    tx
}

#[test]
fn keys_load_from_the_table_and_run_like_static_ones() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    let carol = Pubkey::new_from_u64(3);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let table = install_table(&mut rt, &[carol, bob]);
    let bh = rt.latest_blockhash();
    let tx = signed_through(
        bh,
        &[system::instruction::transfer(
            &alice.pubkey(),
            &bob,
            1_000_000,
        )],
        &alice,
        &[table],
    );
    // Bob is loaded (entry 1 of the table), not a static key.
    assert_eq!(tx.message.version, MessageVersion::V0);
    assert_eq!(tx.message.account_keys, vec![alice.pubkey(), system::ID]);
    assert_eq!(
        tx.message.address_table_lookups[0].writable_indexes,
        vec![1]
    );
    assert_eq!(wire::sanitize_transaction(&tx), Ok(()));
    assert_eq!(Transaction::from_bytes(&tx.to_bytes()).as_ref(), Ok(&tx));

    let sim = rt.simulate_transaction(&tx);
    assert_eq!(sim.result.status, Ok(()));
    // Created rent exempt: rent epoch u64::MAX, as in Agave.
    assert_eq!(
        sim.post_accounts[2],
        (
            bob,
            Account {
                lamports: 1_000_000,
                rent_epoch: u64::MAX,
                ..Account::default()
            }
        )
    );
    let r = rt.send_transaction(tx);
    assert_eq!(r.status, Ok(()));
    assert_eq!(r.fee, 5_000);
    assert_eq!(r.compute_units_consumed, sim.result.compute_units_consumed);
    assert_eq!(rt.balance(&bob), 1_000_000);
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 1_000_000 - 5_000);
}

#[test]
fn a_key_loaded_read_only_cannot_be_credited() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let table = install_table(&mut rt, &[bob]);
    let bh = rt.latest_blockhash();
    let ok = signed_through(
        bh,
        &[system::instruction::transfer(
            &alice.pubkey(),
            &bob,
            1_000_000,
        )],
        &alice,
        &[table],
    );
    // The same entry loaded read-only instead of writable.
    let tx = resigned(&ok, &alice, |m| {
        let l = &mut m.address_table_lookups[0];
        l.readonly_indexes = std::mem::take(&mut l.writable_indexes);
    });
    let r = rt.send_transaction(tx);
    assert_eq!(
        r.status,
        Err(TransactionError::InstructionError(
            0,
            InstructionError::ReadonlyLamportChange
        ))
    );
    assert_eq!(r.fee, 5_000);
    assert_eq!(rt.balance(&bob), 0);
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 5_000);
}

#[test]
fn a_failing_lookup_refuses_the_transaction_uncharged() {
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    let ix = [system::instruction::transfer(&alice.pubkey(), &bob, 1_000)];
    let good = table_account(&[bob], u64::MAX);
    let mut foreign = good.clone();
    foreign.owner = ids::SYSTEM_PROGRAM;
    let mut garbled = good.clone();
    garbled.data.truncate(60);
    let mut uninitialized = good.clone();
    uninitialized.data[0] = 0;
    let cases: Vec<(&str, Option<Account>, u8, TransactionError)> = vec![
        (
            "missing",
            None,
            0,
            TransactionError::AddressLookupTableNotFound,
        ),
        (
            "foreign owner",
            Some(foreign),
            0,
            TransactionError::InvalidAddressLookupTableOwner,
        ),
        (
            "garbled",
            Some(garbled),
            0,
            TransactionError::InvalidAddressLookupTableData,
        ),
        (
            "uninitialized",
            Some(uninitialized),
            0,
            TransactionError::InvalidAddressLookupTableData,
        ),
        (
            "index past the end",
            Some(good.clone()),
            1,
            TransactionError::InvalidAddressLookupTableIndex,
        ),
        // Deactivated in slot 1, long out of SlotHashes by slot 1,000.
        (
            "deactivated",
            Some(table_account(&[bob], 1)),
            0,
            TransactionError::AddressLookupTableNotFound,
        ),
    ];
    for (name, table, index, err) in cases {
        let mut rt = runtime();
        rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
        rt.warp_to_slot(1_000);
        if let Some(t) = table {
            rt.set_account(TABLE, t).unwrap();
        }
        let bh = rt.latest_blockhash();
        let compiled = signed_through(
            bh,
            &ix,
            &alice,
            &[AddressLookupTableAccount {
                key: TABLE,
                addresses: vec![bob],
            }],
        );
        let tx = resigned(&compiled, &alice, |m| {
            m.address_table_lookups[0].writable_indexes = vec![index];
        });
        assert_eq!(
            rt.simulate_transaction(&tx).result.status,
            Err(err),
            "{name}"
        );
        let r = rt.send_transaction(tx);
        assert_eq!(r.status, Err(err), "{name}");
        assert_eq!((r.fee, r.compute_units_consumed), (0, 0), "{name}");
        assert_eq!(rt.balance(&alice.pubkey()), 10_000_000, "{name}");
    }
}

#[test]
fn a_table_deactivated_recently_still_serves() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    rt.warp_to_slot(1_000);
    // Deactivated 100 slots ago: still in SlotHashes.
    rt.set_account(TABLE, table_account(&[bob], 900)).unwrap();
    let bh = rt.latest_blockhash();
    let table = AddressLookupTableAccount {
        key: TABLE,
        addresses: vec![bob],
    };
    let ix = [system::instruction::transfer(
        &alice.pubkey(),
        &bob,
        1_000_000,
    )];
    let r = rt.send_transaction(signed_through(bh, &ix, &alice, &[table]));
    assert_eq!(r.status, Ok(()));
    assert_eq!(rt.balance(&bob), 1_000_000);
}

#[test]
fn a_loaded_key_that_repeats_a_static_one_is_loaded_twice() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let table = install_table(&mut rt, &[bob, alice.pubkey()]);
    let bh = rt.latest_blockhash();
    let ok = signed_through(
        bh,
        &[system::instruction::transfer(&alice.pubkey(), &bob, 1_000)],
        &alice,
        &[table],
    );
    // Also load the payer (entry 1), read-only.
    let tx = resigned(&ok, &alice, |m| {
        m.address_table_lookups[0].readonly_indexes = vec![1]
    });
    let r = rt.send_transaction(tx);
    assert_eq!(r.status, Err(TransactionError::AccountLoadedTwice));
    assert_eq!(r.fee, 0);
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

/// A seeded batch mixing legacy and v0 transactions (some loading their
/// recipients from a table, some with a lookup past its end, refused),
/// with and without compute-budget instructions and prices, over a few
/// accounts that conflict; some sent twice (the second copy refused as
/// already processed unless the first was refused). With `write_table`,
/// a few transfers credit the table itself, which makes it writable in
/// them (a batch that may write a table it looks up is never planned).
fn mixed_batch(
    seed: u64,
    bh: Hash,
    payers: &[Keypair],
    sinks: &[Pubkey],
    write_table: bool,
) -> Vec<Transaction> {
    use baton::compute_budget::instruction::{set_compute_unit_limit, set_compute_unit_price};
    use rand::{Rng, SeedableRng};

    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let table = AddressLookupTableAccount {
        key: TABLE,
        addresses: sinks.to_vec(),
    };
    let mut batch: Vec<Transaction> = Vec::with_capacity(200);
    for _ in 0..200 {
        if !batch.is_empty() && rng.gen_bool(0.1) {
            let again = batch[rng.gen_range(0..batch.len())].clone();
            batch.push(again);
            continue;
        }
        batch.push({
            let payer = &payers[rng.gen_range(0..payers.len())];
            let to = if write_table && rng.gen_bool(0.02) {
                TABLE
            } else {
                sinks[rng.gen_range(0..sinks.len())]
            };
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
            match rng.gen_range(0..6) {
                0 | 1 => signed_legacy(bh, &ixs, payer),
                2 => signed_v0(bh, &ixs, payer, Vec::new()),
                3 | 4 => signed_through(bh, &ixs, payer, std::slice::from_ref(&table)),
                _ => {
                    let tx = signed_through(bh, &ixs, payer, std::slice::from_ref(&table));
                    resigned(&tx, payer, |m| {
                        if let Some(l) = m.address_table_lookups.first_mut() {
                            l.writable_indexes = vec![200];
                        }
                    })
                }
            }
        });
    }
    batch
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 4,
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0xBA70_0500),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// The mixed batch gives the same results and balances on 1, 2, 4, 8
    /// and 16 threads as sent one transaction at a time, with the
    /// scheduler's serial fallback off (so every batch runs on the pool,
    /// here on more threads than cores): lookups resolved in admission on
    /// 1 and 2 threads, in stage 1 from 3; pipelined waves below 8
    /// threads, planned from 8 unless a transaction may write the table
    /// (each seed is run both ways), in memory and on a durable store.
    #[test]
    fn mixed_legacy_and_v0_batches_are_serial_equivalent(seed in proptest::prelude::any::<u64>()) {
        baton::scheduler::set_serial_fallback(false);
        for write_table in [false, true] {
            mixed_batch_is_serial_equivalent(seed, write_table)?;
        }
    }
}

fn mixed_batch_is_serial_equivalent(
    seed: u64,
    write_table: bool,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let payers: Vec<Keypair> = (1..=4).map(kp).collect();
    let sinks: Vec<Pubkey> = (100..104).map(Pubkey::new_from_u64).collect();
    let dir = tempfile::tempdir().unwrap();
    // In memory with signature checks off (on two threads the stateless
    // checks and lookups then run in admission), or durable (a store that
    // copies, so the batch's tables are copied once each) with them on
    // (stage 1 a pass of its own from two threads).
    let fresh_on = |threads: usize, durable: bool| {
        let mut rt = Runtime::new().with_threads(threads);
        if durable {
            let path = dir.path().join(format!("{threads}.redb"));
            rt = rt.with_storage(path).unwrap();
        } else {
            rt = rt.with_sigverify(false);
        }
        for p in &payers {
            rt.airdrop(&p.pubkey(), 50_000_000).unwrap();
        }
        rt.set_account(TABLE, table_account(&sinks, u64::MAX))
            .unwrap();
        rt.warp_to_slot(10);
        rt
    };
    let fresh = |threads: usize| fresh_on(threads, false);
    let bh = fresh(1).latest_blockhash();
    let batch = mixed_batch(seed, bh, &payers, &sinks, write_table);
    let balances = |rt: &Runtime| -> Vec<u64> {
        payers
            .iter()
            .map(|p| p.pubkey())
            .chain(sinks.iter().copied())
            .map(|k| rt.balance(&k))
            .collect()
    };
    let mut one_by_one = fresh(1);
    let serial: Vec<_> = batch
        .iter()
        .map(|tx| one_by_one.send_transaction(tx.clone()))
        .collect();
    let serial = (serial, balances(&one_by_one));
    let count =
        |f: &dyn Fn(&baton::TransactionResult) -> bool| serial.0.iter().filter(|r| f(r)).count();
    proptest::prop_assert!(count(&|r| r.status.is_ok()) > 50);
    let loaded_ok = batch
        .iter()
        .zip(&serial.0)
        .filter(|(tx, r)| !tx.message.address_table_lookups.is_empty() && r.status.is_ok())
        .count();
    proptest::prop_assert!(
        loaded_ok > 30,
        "{} v0 transactions with lookups succeeded",
        loaded_ok
    );
    proptest::prop_assert!(
        count(&|r| r.status == Err(TransactionError::InvalidAddressLookupTableIndex)) > 10
    );
    proptest::prop_assert!(count(&|r| r.fee_details.prioritization_fee > 0) > 30);
    proptest::prop_assert!(count(&|r| r.status == Err(TransactionError::AlreadyProcessed)) > 5);
    for threads in [1, 2, 4, 8, 16] {
        for durable in [false, true] {
            let mut rt = fresh_on(threads, durable);
            let results = rt.execute_batch(&batch);
            proptest::prop_assert_eq!(
                &(results, balances(&rt)),
                &serial,
                "{} threads, write_table {}, durable {}",
                threads,
                write_table,
                durable
            );
        }
    }
    Ok(())
}
