//! A batch that starts while the scheduler runs batches serially (its
//! host's cores contended, or a hold from `hold_serial_for`) takes the
//! one-thread path whole: every transaction runs on the calling thread, in
//! order, with the same results and state as a one-thread runtime's. Its
//! own test binary: the hold is process-wide.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use baton::{
    ids, Account, AccountMeta, Instruction, InstructionError, InvokeContext, Message, Program,
    Pubkey, Runtime, Signature, Transaction,
};

const WHO: Pubkey = Pubkey::new_from_array([7; 32]);

/// Logs the name of the thread it runs on and bumps byte 0 of its
/// writable account.
struct WhoRuns;

impl Program for WhoRuns {
    fn process(&self, ctx: &InvokeContext<'_>, _data: &[u8]) -> Result<(), InstructionError> {
        let name = std::thread::current().name().unwrap_or("").to_owned();
        ctx.log(format_args!("on {name}"));
        let mut a = ctx.borrow_instruction_account(0)?;
        let d = a.data_mut()?;
        d[0] = d[0].wrapping_add(1);
        Ok(())
    }
}

const PAYERS: u8 = 40;

fn runtime(threads: usize) -> Runtime {
    let mut rt = Runtime::new()
        .with_sigverify(false)
        .with_threads(threads)
        .with_program(WHO, Arc::new(WhoRuns));
    for p in 0..PAYERS {
        rt.set_account(
            payer(p),
            Account::new(1_000_000_000, 0, &ids::SYSTEM_PROGRAM),
        )
        .unwrap();
        rt.set_account(slot(p), Account::new(1_000_000, 1, &WHO))
            .unwrap();
    }
    rt
}

fn key(tag: u8, p: u8) -> Pubkey {
    let mut k = [0u8; 32];
    k[0] = tag;
    k[1] = p;
    Pubkey::new_from_array(k)
}

fn payer(p: u8) -> Pubkey {
    key(1, p)
}

fn slot(p: u8) -> Pubkey {
    key(2, p)
}

/// 2,000 transactions, each payer's 50 in a chain, the payers' chains
/// independent of each other: plenty for two threads to share.
fn batch() -> Vec<Transaction> {
    (0..2_000u32)
        .map(|n| {
            let p = (n % u32::from(PAYERS)) as u8;
            let ix = Instruction::new_with_bytes(WHO, &[], vec![AccountMeta::new(slot(p), false)]);
            let message =
                Message::new_with_blockhash(&[ix], Some(&payer(p)), &baton::genesis_blockhash());
            let mut sig = [0u8; 64];
            sig[..4].copy_from_slice(&n.to_le_bytes());
            Transaction {
                signatures: vec![Signature(sig)],
                message,
            }
        })
        .collect()
}

#[test]
fn a_batch_in_a_serial_window_runs_on_the_calling_thread_with_the_serial_results() {
    let mut one = runtime(1);
    let txs = batch();
    let expected = one.execute_batch(&txs);
    assert!(
        expected.iter().all(|r| r.status.is_ok()),
        "{:?}",
        expected[0]
    );

    let mut two = runtime(2);
    // Far longer than the batch can take, even on a loaded CI machine.
    baton::scheduler::hold_serial_for(Duration::from_secs(600));
    let got = two.execute_batch(&txs);
    assert_eq!(got, expected);
    assert_eq!(two.state_hash(), one.state_hash());
    let here = std::thread::current().name().unwrap_or("").to_owned();
    for r in &got {
        let line = r.logs.iter().find(|l| l.contains(" on ")).unwrap();
        assert!(
            line.ends_with(&format!("on {here}")),
            "{line} (expected {here})"
        );
    }
}
