//! Parallel execution equals serial execution: random batches over few
//! accounts (many conflicts) and many accounts (few), with failing
//! transactions mixed in, run with 1, 2, 4, 8 and 16 threads (more than a
//! small CI machine's cores: workers are preempted mid-batch, and park and
//! wake far more often). Every result, log and the final state hash must
//! equal the one-thread run's. The scheduler's serial fallback is off in
//! this test binary, so that every batch that can run in parallel does
//! whatever the host's load (tiny batches like these never pay for their
//! threads, and the fallback would run most of them on one thread).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton::{
    ids, system, Account, AccountMeta, Instruction, InstructionError, InvokeContext, Message,
    Program, Pubkey, Runtime, Signature, Transaction,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const COUNTER: Pubkey = Pubkey::new_from_array([5; 32]);

/// Adds its first data byte to byte 0 of every writable account it owns,
/// reading the read-only ones into the log; fails with code 9 when the sum
/// of what it read is odd and the second data byte asks for it.
struct Counter;

impl Program for Counter {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(50)?;
        let add = *data
            .first()
            .ok_or(InstructionError::InvalidInstructionData)?;
        let mut seen = 0u32;
        for i in 0..ctx.instruction_account_count() {
            let mut a = ctx.borrow_instruction_account(i)?;
            if a.is_writable() && a.is_owned_by_current_program() {
                let d = a.data_mut()?;
                d[0] = d[0].wrapping_add(add);
                seen += d[0] as u32;
            } else {
                seen += a.data().first().copied().unwrap_or(0) as u32;
            }
        }
        ctx.log(format_args!("seen {seen}"));
        if data.get(1) == Some(&1) && seen % 2 == 1 {
            return Err(InstructionError::Custom(9));
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// Transfer from payer `from` to account `to`.
    Transfer {
        from: usize,
        to: usize,
        lamports: u64,
    },
    /// Counter over writable `w` and read-only `r` state accounts.
    Count {
        payer: usize,
        w: Vec<usize>,
        r: Vec<usize>,
        add: u8,
        may_fail: bool,
    },
    /// The transaction `n` places earlier sent again (signature and all),
    /// in the same batch or the one before: already processed, unless the
    /// first one was refused before execution (its fee payer could not pay),
    /// and so forgotten.
    Resend(usize),
}

fn payer(i: usize) -> Pubkey {
    Pubkey::new_from_u64(1_000 + i as u64)
}

fn state(i: usize) -> Pubkey {
    Pubkey::new_from_u64(2_000 + i as u64)
}

fn op(accounts: usize) -> impl Strategy<Value = Op> {
    let idx = 0..accounts;
    prop_oneof![
        (
            idx.clone(),
            idx.clone(),
            prop_oneof![Just(0u64), 1u64..2_000_000, Just(u64::MAX / 2)]
        )
            .prop_map(|(from, to, lamports)| Op::Transfer { from, to, lamports }),
        (
            idx.clone(),
            proptest::collection::vec(idx.clone(), 0..3),
            proptest::collection::vec(idx, 0..3),
            any::<u8>(),
            any::<bool>()
        )
            .prop_map(|(payer, w, r, add, may_fail)| Op::Count {
                payer,
                w,
                r,
                add,
                may_fail
            }),
        (1usize..40).prop_map(Op::Resend),
    ]
}

fn build(ops: &[Op]) -> Vec<Transaction> {
    let mut txs: Vec<Transaction> = Vec::with_capacity(ops.len());
    for (n, op) in ops.iter().enumerate() {
        let tx = match op {
            Op::Resend(back) => match n.checked_sub(*back).and_then(|i| txs.get(i)) {
                Some(earlier) => earlier.clone(),
                None => one(
                    n,
                    &Op::Transfer {
                        from: 0,
                        to: 1,
                        lamports: 1,
                    },
                ),
            },
            op => one(n, op),
        };
        txs.push(tx);
    }
    txs
}

/// The `n`th transaction of a batch, doing `op` (not a resend).
fn one(n: usize, op: &Op) -> Transaction {
    let (ix, fee_payer) = match op {
        Op::Transfer { from, to, lamports } => (
            system::instruction::transfer(&payer(*from), &payer(*to), *lamports),
            payer(*from),
        ),
        Op::Count {
            payer: p,
            w,
            r,
            add,
            may_fail,
        } => {
            let mut metas: Vec<AccountMeta> = Vec::new();
            for i in w {
                if !metas.iter().any(|m| m.pubkey == state(*i)) {
                    metas.push(AccountMeta::new(state(*i), false));
                }
            }
            for i in r {
                if !metas.iter().any(|m| m.pubkey == state(*i)) {
                    metas.push(AccountMeta::new_readonly(state(*i), false));
                }
            }
            (
                Instruction::new_with_bytes(COUNTER, &[*add, *may_fail as u8], metas),
                payer(*p),
            )
        }
        Op::Resend(_) => (
            system::instruction::transfer(&payer(0), &payer(1), 1),
            payer(0),
        ),
    };
    let message = Message::new_with_blockhash(&[ix], Some(&fee_payer), &baton::genesis_blockhash());
    let mut sig = [0u8; 64];
    sig[..8].copy_from_slice(&(n as u64).to_le_bytes());
    Transaction {
        signatures: vec![Signature(sig)],
        message,
    }
}

fn runtime(threads: usize, accounts: usize) -> Runtime {
    let mut rt = Runtime::new()
        .with_sigverify(false)
        .with_threads(threads)
        .with_program(COUNTER, Arc::new(Counter));
    for i in 0..accounts {
        rt.set_account(
            payer(i),
            Account::new(5_000_000 + i as u64, 0, &ids::SYSTEM_PROGRAM),
        )
        .unwrap();
        rt.set_account(state(i), Account::new(2_000_000, 1, &COUNTER))
            .unwrap();
    }
    rt
}

fn check(accounts: usize, ops: Vec<Op>) -> Result<(), TestCaseError> {
    baton::scheduler::set_serial_fallback(false);
    let txs = build(&ops);
    let mut serial = runtime(1, accounts);
    // Two batches, so the second sees the first's commits.
    let (a, b) = txs.split_at(txs.len() / 2);
    let expected = [serial.execute_batch(a), serial.execute_batch(b)];
    let expected_hash = serial.state_hash();
    for threads in [2, 4, 8, 16] {
        let mut rt = runtime(threads, accounts);
        let got = [rt.execute_batch(a), rt.execute_batch(b)];
        prop_assert_eq!(&got, &expected, "results differ with {} threads", threads);
        prop_assert_eq!(
            rt.state_hash(),
            expected_hash,
            "state differs with {} threads",
            threads
        );
    }
    Ok(())
}

fn runner(seed: u8, cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

#[test]
fn few_accounts_many_conflicts() {
    let strategy = proptest::collection::vec(op(4), 1..80);
    runner(1, 128).run(&strategy, |ops| check(4, ops)).unwrap();
}

#[test]
fn many_accounts_few_conflicts() {
    let strategy = proptest::collection::vec(op(64), 1..160);
    runner(2, 64).run(&strategy, |ops| check(64, ops)).unwrap();
}

#[test]
fn failures_and_logs_are_part_of_the_comparison() {
    // A fixed batch that must contain successes, failures and logs.
    let ops: Vec<Op> = (0..60)
        .map(|i| match i % 3 {
            0 => Op::Transfer {
                from: i % 5,
                to: (i + 1) % 5,
                lamports: if i % 2 == 0 { 1_000_000 } else { u64::MAX / 2 },
            },
            _ => Op::Count {
                payer: i % 5,
                w: vec![i % 5],
                r: vec![(i + 2) % 5],
                add: i as u8,
                may_fail: i % 4 == 0,
            },
        })
        .collect();
    let txs = build(&ops);
    let mut rt = runtime(1, 5);
    let results = rt.execute_batch(&txs);
    assert!(results.iter().any(|r| r.status.is_ok()));
    assert!(results.iter().any(|r| r.status.is_err() && r.fee > 0));
    assert!(results
        .iter()
        .any(|r| r.logs.iter().any(|l| l.starts_with("Program log: seen"))));
    check(5, ops).unwrap();
}
