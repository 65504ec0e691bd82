//! Stage 1 (the stateless checks) runs as a pass of its own on the pool,
//! or folded into admission (one thread, and two threads without signature
//! checks): a batch mixing every kind of stateless rejection
//! with good transfers gives the same results and state on 1 to 4 threads.
#![allow(clippy::unwrap_used)]

use baton::{
    ids, system, Account, AccountMeta, Hash, Instruction, Message, Pubkey, Runtime, Signature,
    Transaction, TransactionError,
};

const PAYERS: u64 = 30;

fn payer(n: u64) -> Pubkey {
    Pubkey::new_from_u64(1_000 + n)
}

fn runtime(threads: usize) -> Runtime {
    let mut rt = Runtime::new().with_sigverify(false).with_threads(threads);
    for n in 0..PAYERS {
        rt.set_account(
            payer(n),
            Account::new(1_000_000_000, 0, &ids::SYSTEM_PROGRAM),
        )
        .unwrap();
    }
    rt
}

fn tx(message: Message, n: u64) -> Transaction {
    let mut sig = [0u8; 64];
    sig[..8].copy_from_slice(&n.to_le_bytes());
    Transaction {
        signatures: vec![Signature(sig); usize::from(message.header.num_required_signatures)],
        message,
    }
}

/// Transaction `n` of the batch: mostly transfers between the payers, and
/// every few a stateless rejection of one kind or a resend.
fn nth(n: u64, blockhash: Hash) -> Transaction {
    let from = payer(n % PAYERS);
    let to = payer((n * 7 + 3) % PAYERS);
    let transfer = system::instruction::transfer(&from, &to, 1_000 + n);
    let message =
        |ixs: &[Instruction], hash: &Hash| Message::new_with_blockhash(ixs, Some(&from), hash);
    match n % 10 {
        // An unknown blockhash.
        1 => tx(message(&[transfer], &Hash([9; 32])), n),
        // A key listed twice.
        2 => {
            let mut m = message(&[transfer], &blockhash);
            let dup = m.account_keys[1];
            m.account_keys.insert(2, dup);
            m.header.num_readonly_unsigned_accounts += 1;
            tx(m, n)
        }
        // More locks than the limit.
        3 => {
            let metas = (0..70)
                .map(|k| AccountMeta::new_readonly(Pubkey::new_from_u64(50_000 + k), false))
                .collect();
            let big = Instruction {
                program_id: ids::SYSTEM_PROGRAM,
                accounts: metas,
                data: vec![],
            };
            tx(message(&[big], &blockhash), n)
        }
        // Malformed: an instruction naming an account index past the keys.
        4 => {
            let mut m = message(&[transfer], &blockhash);
            if let Some(ix) = m.instructions.first_mut() {
                ix.accounts.push(200);
            }
            tx(m, n)
        }
        // The signature of an earlier transaction of the batch.
        5 => tx(message(&[transfer], &blockhash), n - 5),
        // An unfunded payer.
        6 => {
            let poor = Pubkey::new_from_u64(90_000 + n);
            let ix = system::instruction::transfer(&poor, &to, 1);
            tx(
                Message::new_with_blockhash(&[ix], Some(&poor), &blockhash),
                n,
            )
        }
        _ => tx(message(&[transfer], &blockhash), n),
    }
}

#[test]
fn stateless_rejections_are_the_same_whether_stage_one_is_apart_or_folded() {
    let blockhash = baton::genesis_blockhash();
    let batch: Vec<Transaction> = (0..3_000).map(|n| nth(n, blockhash)).collect();
    let mut one = runtime(1);
    let (a, b) = batch.split_at(1_700);
    let expected = [one.execute_batch(a), one.execute_batch(b)];
    // Every kind of outcome is there.
    let statuses: Vec<_> = expected.iter().flatten().map(|r| r.status).collect();
    for want in [
        Ok(()),
        Err(TransactionError::BlockhashNotFound),
        Err(TransactionError::AccountLoadedTwice),
        Err(TransactionError::TooManyAccountLocks),
        Err(TransactionError::SanitizeFailure),
        Err(TransactionError::AlreadyProcessed),
        Err(TransactionError::AccountNotFound),
    ] {
        assert!(statuses.contains(&want), "no {want:?}");
    }
    baton::scheduler::set_serial_fallback(false);
    for threads in [2, 3, 4] {
        let mut rt = runtime(threads);
        let got = [rt.execute_batch(a), rt.execute_batch(b)];
        assert_eq!(got, expected, "{threads} threads");
        assert_eq!(rt.state_hash(), one.state_hash(), "{threads} threads");
    }
}
