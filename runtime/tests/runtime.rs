//! The facade's batch pipeline: rejections, fees, rollback, switches,
//! sysvars, snapshots and bad input.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton::{
    ids, system, Account, AccountMeta, CompiledInstruction, Hash, Instruction, InstructionError,
    InvokeContext, Keypair, Message, Program, Pubkey, Runtime, Signature, Transaction,
    TransactionError,
};

const FAIL: Pubkey = Pubkey::new_from_array([9; 32]);

/// Fails with the code in its data; panics on an empty instruction.
struct Fail;

impl Program for Fail {
    fn process(&self, _ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        match data.first() {
            Some(code) => Err(InstructionError::Custom(*code as u32)),
            None => panic!("hostile program"),
        }
    }
}

fn kp(n: u8) -> Keypair {
    Keypair::from_seed(&[n; 32])
}

fn runtime() -> Runtime {
    Runtime::new()
        .with_threads(2)
        .with_program(FAIL, Arc::new(Fail))
}

fn signed(rt: &Runtime, ixs: &[Instruction], payer: &Keypair) -> Transaction {
    Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &[payer], rt.latest_blockhash())
        .unwrap()
}

#[test]
fn transfer_charges_fee_and_moves_lamports() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let tx = signed(
        &rt,
        &[system::instruction::transfer(
            &alice.pubkey(),
            &bob,
            1_000_000,
        )],
        &alice,
    );
    let r = rt.execute_batch(&[tx]);
    assert_eq!(r[0].status, Ok(()));
    assert_eq!(r[0].fee, 5_000);
    assert_eq!(r[0].compute_units_consumed, 150);
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 1_000_000 - 5_000);
    assert_eq!(rt.balance(&bob), 1_000_000);
}

#[test]
fn failed_transaction_changes_nothing_but_the_fee() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    rt.airdrop(&bob, 5_000_000).unwrap();
    let before_bob = rt.account(&bob).unwrap();
    let ixs = [
        system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000),
        Instruction::new_with_bytes(FAIL, &[7], vec![AccountMeta::new(bob, false)]),
    ];
    let tx = signed(&rt, &ixs, &alice);
    let r = rt.execute_batch(&[tx]);
    assert_eq!(
        r[0].status,
        Err(TransactionError::InstructionError(
            1,
            InstructionError::Custom(7)
        ))
    );
    assert_eq!(r[0].fee, 5_000);
    assert!(!r[0].logs.is_empty(), "a failed transaction keeps its logs");
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 5_000);
    assert_eq!(rt.account(&bob).unwrap(), before_bob);
}

#[test]
fn panicking_program_fails_only_its_transaction() {
    let mut rt = runtime();
    let alice = kp(1);
    let carol = kp(3);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    rt.airdrop(&carol.pubkey(), 10_000_000).unwrap();
    let bad = signed(
        &rt,
        &[Instruction::new_with_bytes(FAIL, &[], vec![])],
        &alice,
    );
    let good = signed(
        &rt,
        &[system::instruction::transfer(
            &carol.pubkey(),
            &alice.pubkey(),
            10,
        )],
        &carol,
    );
    let r = rt.execute_batch(&[bad, good]);
    assert_eq!(
        r[0].status,
        Err(TransactionError::InstructionError(
            0,
            InstructionError::ProgramFailedToComplete
        ))
    );
    assert_eq!(r[1].status, Ok(()));
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 5_000 + 10);
}

#[test]
fn rejections_charge_nothing() {
    let mut rt = runtime();
    let alice = kp(1);
    let bob = Pubkey::new_from_u64(2);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let ix = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);

    // Bad signature.
    let mut forged = signed(&rt, std::slice::from_ref(&ix), &alice);
    forged.signatures[0] = Signature([3; 64]);
    // Unknown blockhash.
    let stale = Transaction::new_signed_with_payer(
        std::slice::from_ref(&ix),
        Some(&alice.pubkey()),
        &[&alice],
        Hash([5; 32]),
    )
    .unwrap();
    // Unfunded payer.
    let poor = kp(4);
    let unfunded = signed(
        &rt,
        &[system::instruction::transfer(&poor.pubkey(), &bob, 1)],
        &poor,
    );
    // The same transaction twice: the second is already processed.
    let once = signed(&rt, std::slice::from_ref(&ix), &alice);
    let r = rt.execute_batch(&[forged, stale, unfunded, once.clone(), once.clone()]);
    assert_eq!(r[0].status, Err(TransactionError::SignatureFailure));
    assert_eq!(r[1].status, Err(TransactionError::BlockhashNotFound));
    assert_eq!(r[2].status, Err(TransactionError::AccountNotFound));
    assert_eq!(r[3].status, Ok(()));
    assert_eq!(r[4].status, Err(TransactionError::AlreadyProcessed));
    assert!(r.iter().enumerate().all(|(i, x)| (x.fee == 0) == (i != 3)));
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 5_000 - 1_000_000);
    // And again in a later batch.
    assert_eq!(
        rt.execute_batch(&[once])[0].status,
        Err(TransactionError::AlreadyProcessed)
    );
}

#[test]
fn checks_switch_off_like_litesvm() {
    let mut rt = runtime()
        .with_sigverify(false)
        .with_blockhash_check(false)
        .with_transaction_history(false);
    let alice = kp(1);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let ix = system::instruction::transfer(&alice.pubkey(), &Pubkey::new_from_u64(2), 1_000_000);
    let mut tx = Transaction::new_unsigned(Message::new_with_blockhash(
        &[ix],
        Some(&alice.pubkey()),
        &Hash([5; 32]),
    ));
    tx.signatures[0] = Signature([1; 64]);
    let r = rt.execute_batch(&[tx.clone(), tx]);
    assert_eq!(r[0].status, Ok(()));
    assert_eq!(r[1].status, Ok(()));
}

#[test]
fn lock_validation_rejects_without_charging() {
    let mut rt = runtime().with_sigverify(false);
    let alice = kp(1);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let ix = system::instruction::transfer(&alice.pubkey(), &Pubkey::new_from_u64(2), 1);
    let mut msg = Message::new_with_blockhash(&[ix], Some(&alice.pubkey()), &rt.latest_blockhash());
    let dup = msg.account_keys[1];
    msg.account_keys.insert(2, dup);
    msg.header.num_readonly_unsigned_accounts += 1;
    let r = rt.execute_batch(&[Transaction::new_unsigned(msg)]);
    assert_eq!(r[0].status, Err(TransactionError::AccountLoadedTwice));
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000);

    let keys: Vec<Pubkey> = (10..80).map(Pubkey::new_from_u64).collect();
    let metas = keys
        .iter()
        .map(|k| AccountMeta::new_readonly(*k, false))
        .collect();
    let big = Instruction {
        program_id: FAIL,
        accounts: metas,
        data: vec![1],
    };
    let tx = Transaction::new_unsigned(Message::new_with_blockhash(
        &[big],
        Some(&alice.pubkey()),
        &rt.latest_blockhash(),
    ));
    assert_eq!(
        rt.execute_batch(&[tx])[0].status,
        Err(TransactionError::TooManyAccountLocks)
    );
}

#[test]
fn malformed_transactions_are_rejected_not_panicked_on() {
    let mut rt = runtime().with_sigverify(false);
    let alice = kp(1);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let good = Message::new_with_blockhash(
        &[system::instruction::transfer(
            &alice.pubkey(),
            &Pubkey::new_from_u64(2),
            1,
        )],
        Some(&alice.pubkey()),
        &rt.latest_blockhash(),
    );
    let mut bad_index = good.clone();
    bad_index.instructions[0].accounts[1] = 99;
    let mut bad_program = good.clone();
    bad_program.instructions.push(CompiledInstruction {
        program_id_index: 77,
        accounts: vec![],
        data: vec![],
    });
    let mut no_sigs = Transaction::new_unsigned(good.clone());
    no_sigs.signatures.clear();
    let mut empty = Message::default();
    empty.header.num_required_signatures = 1;
    let r = rt.execute_batch(&[
        Transaction::new_unsigned(bad_index),
        Transaction::new_unsigned(bad_program),
        no_sigs,
        Transaction::new_unsigned(empty),
    ]);
    for x in &r {
        assert_eq!(x.status, Err(TransactionError::SanitizeFailure), "{x:?}");
        assert_eq!(x.fee, 0);
    }
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000);
}

#[test]
fn unknown_program_account_is_charged_but_changes_nothing() {
    let mut rt = runtime().with_sigverify(false);
    let alice = kp(1);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let ghost = Pubkey::new_from_u64(777);
    let tx = Transaction::new_unsigned(Message::new_with_blockhash(
        &[Instruction::new_with_bytes(ghost, &[], vec![])],
        Some(&alice.pubkey()),
        &rt.latest_blockhash(),
    ));
    let r = rt.execute_batch(&[tx]);
    assert_eq!(r[0].status, Err(TransactionError::ProgramAccountNotFound));
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 5_000);
}

#[test]
fn rent_state_check_after_transaction() {
    let mut rt = runtime().with_sigverify(false);
    let alice = kp(1);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    // Creating a rent-paying account (1 lamport, no data) is refused.
    let fresh = Pubkey::new_from_u64(5);
    let tx = Transaction::new_unsigned(Message::new_with_blockhash(
        &[system::instruction::transfer(&alice.pubkey(), &fresh, 1)],
        Some(&alice.pubkey()),
        &rt.latest_blockhash(),
    ));
    let r = rt.execute_batch(&[tx]);
    assert_eq!(
        r[0].status,
        Err(TransactionError::InsufficientFundsForRent { account_index: 1 })
    );
    assert_eq!(rt.account(&fresh), None);
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000 - 5_000);
}

#[test]
fn sysvars_are_accounts_and_blockhashes_expire() {
    let mut rt = runtime();
    let rent = rt.account(&ids::SYSVAR_RENT).unwrap();
    assert_eq!(rent.owner, ids::SYSVAR_OWNER);
    assert_eq!(rent.data.len(), 17);
    let first = rt.latest_blockhash();
    for _ in 0..200 {
        rt.expire_blockhash();
    }
    assert_ne!(rt.latest_blockhash(), first);
    assert_eq!(rt.sysvars().recent_blockhashes.0.len(), 150);
    assert_eq!(rt.sysvars().clock.slot, 200);
    let rbh = rt.account(&ids::SYSVAR_RECENT_BLOCKHASHES).unwrap();
    assert_eq!(rbh.data.len(), 8 + 150 * 40);

    let alice = kp(1);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let ix = system::instruction::transfer(&alice.pubkey(), &Pubkey::new_from_u64(2), 1_000_000);
    let old =
        Transaction::new_signed_with_payer(&[ix], Some(&alice.pubkey()), &[&alice], first).unwrap();
    assert_eq!(
        rt.execute_batch(&[old])[0].status,
        Err(TransactionError::BlockhashNotFound)
    );
}

#[test]
fn snapshot_round_trip_keeps_the_state_hash() {
    let mut rt = runtime();
    let alice = kp(1);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    rt.set_account(
        Pubkey::new_from_u64(9),
        Account::with_data(3_000_000, vec![1, 2, 3], &FAIL),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.snap");
    rt.save_snapshot(&path).unwrap();
    let loaded = baton::InMemoryAccounts::load_snapshot(&path).unwrap();
    assert_eq!(baton::AccountsStore::state_hash(&loaded), rt.state_hash());
}

#[test]
fn parallel_batch_equals_serial() {
    let alice = kp(1);
    let bob = kp(2);
    let build = |threads| {
        let mut rt = runtime().with_threads(threads);
        rt.airdrop(&alice.pubkey(), 1_000_000_000).unwrap();
        rt.airdrop(&bob.pubkey(), 1_000_000_000).unwrap();
        rt
    };
    let rt = build(1);
    let mut txs = Vec::new();
    for i in 0..40u64 {
        let (from, to) = if i % 3 == 0 {
            (&alice, bob.pubkey())
        } else {
            (&bob, Pubkey::new_from_u64(100 + i % 5))
        };
        let mut ixs = vec![system::instruction::transfer(
            &from.pubkey(),
            &to,
            1_000_000 + i,
        )];
        if i % 7 == 0 {
            ixs.push(Instruction::new_with_bytes(FAIL, &[1], vec![]));
        }
        txs.push(signed(&rt, &ixs, from));
    }
    let mut serial = build(1);
    let mut parallel = build(4);
    let a = serial.execute_batch(&txs);
    let b = parallel.execute_batch(&txs);
    assert_eq!(a, b);
    assert_eq!(serial.state_hash(), parallel.state_hash());
    assert!(a.iter().any(|r| r.status.is_err()));
}

#[test]
fn a_transaction_refused_for_its_fee_may_be_sent_again() {
    let mut rt = runtime();
    let poor = kp(4);
    let tx = signed(
        &rt,
        &[system::instruction::transfer(
            &poor.pubkey(),
            &Pubkey::new_from_u64(2),
            1_000_000,
        )],
        &poor,
    );
    assert_eq!(
        rt.execute_batch(std::slice::from_ref(&tx))[0].status,
        Err(TransactionError::AccountNotFound)
    );
    rt.airdrop(&poor.pubkey(), 10_000_000).unwrap();
    assert_eq!(
        rt.execute_batch(std::slice::from_ref(&tx))[0].status,
        Ok(())
    );
    assert_eq!(
        rt.execute_batch(&[tx])[0].status,
        Err(TransactionError::AlreadyProcessed)
    );
}

#[test]
fn a_refused_duplicate_is_already_processed_within_its_batch_at_any_thread_count() {
    let poor = kp(4);
    let rich: Vec<Pubkey> = (0..64).map(|n| Pubkey::new_from_u64(5_000 + n)).collect();
    let refused = Transaction::new_unsigned(Message::new_with_blockhash(
        &[system::instruction::transfer(
            &poor.pubkey(),
            &Pubkey::new_from_u64(2),
            1_000_000,
        )],
        Some(&poor.pubkey()),
        &baton::genesis_blockhash(),
    ));
    let mut txs = vec![refused.clone()];
    // More than two waves of filler between the two copies.
    for n in 0..3_500u64 {
        let from = rich[(n % 64) as usize];
        let ix = system::instruction::transfer(&from, &rich[((n + 1) % 64) as usize], 1);
        let mut tx = Transaction::new_unsigned(Message::new_with_blockhash(
            &[ix],
            Some(&from),
            &baton::genesis_blockhash(),
        ));
        tx.signatures[0] = Signature([(n % 251) as u8 + 1; 64]);
        tx.signatures[0].0[..8].copy_from_slice(&n.to_le_bytes());
        txs.push(tx);
    }
    txs.push(refused.clone());
    let run = |threads: usize| {
        let mut rt = runtime().with_sigverify(false).with_threads(threads);
        for k in &rich {
            rt.airdrop(k, 1_000_000_000).unwrap();
        }
        let results = rt.execute_batch(&txs);
        (rt, results)
    };
    let (mut rt, parallel) = run(2);
    let (_, serial) = run(1);
    assert_eq!(parallel, serial);
    assert_eq!(parallel[0].status, Err(TransactionError::AccountNotFound));
    assert_eq!(
        parallel.last().unwrap().status,
        Err(TransactionError::AlreadyProcessed)
    );
    // In a later batch, once the payer can pay, the transaction goes through.
    rt.airdrop(&poor.pubkey(), 10_000_000).unwrap();
    assert_eq!(rt.execute_batch(&[refused])[0].status, Ok(()));
}

/// A history sized ahead gives the same results as one that grows: across
/// more blockhashes than stay live (so expired tables are reused), with
/// duplicates in a batch, across batches, past its capacity, and naming an
/// older blockhash.
#[test]
fn a_history_with_capacity_decides_as_a_growing_one() {
    let payers: Vec<Pubkey> = (0..8).map(|n| Pubkey::new_from_u64(7_000 + n)).collect();
    let tx = |n: u64, blockhash: Hash| {
        let from = payers[(n % 8) as usize];
        let ix = system::instruction::transfer(&from, &payers[((n + 3) % 8) as usize], 1);
        let mut tx =
            Transaction::new_unsigned(Message::new_with_blockhash(&[ix], Some(&from), &blockhash));
        tx.signatures[0] = Signature([(n % 251) as u8 + 1; 64]);
        tx.signatures[0].0[..8].copy_from_slice(&n.to_le_bytes());
        tx
    };
    let run = |capacity: Option<usize>, threads: usize| {
        let mut rt = runtime().with_sigverify(false).with_threads(threads);
        if let Some(c) = capacity {
            rt = rt.with_history_capacity(c);
        }
        for k in &payers {
            rt.airdrop(k, 1_000_000_000).unwrap();
        }
        let mut out = Vec::new();
        let mut older = rt.latest_blockhash();
        let mut previous = older;
        for round in 0..160u64 {
            let now = rt.latest_blockhash();
            // 12 new signatures, a repeat of one of them, a repeat from the
            // round before, and one naming a blockhash 5 rounds old.
            let base = round * 100;
            let mut batch: Vec<Transaction> = (0..12).map(|j| tx(base + j, now)).collect();
            batch.push(tx(base + 4, now));
            if round > 0 {
                batch.push(tx(base - 100, previous));
            }
            batch.push(tx(base + 50, older));
            out.push(rt.execute_batch(&batch));
            if round % 5 == 4 {
                older = now;
            }
            previous = now;
            rt.expire_blockhash();
        }
        (out, rt.state_hash())
    };
    let grown = run(None, 1);
    assert_eq!(
        run(Some(4), 1),
        grown,
        "capacity below a round's signatures"
    );
    assert_eq!(run(Some(64), 1), grown);
    assert_eq!(run(Some(64), 2), grown);
    let statuses: Vec<_> = grown.0[10].iter().map(|r| r.status).collect();
    assert!(statuses[..12].iter().all(Result::is_ok));
    assert_eq!(statuses[12], Err(TransactionError::AlreadyProcessed));
    assert_eq!(statuses[13], Err(TransactionError::AlreadyProcessed));
    assert_eq!(statuses[14], Ok(()));
}
