//! Hostile programs: each fails only its own transaction, with the right
//! error, while the other transactions of the batch commit — at 1 and 2
//! threads, with the same results.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton::{
    ids, system, Account, AccountMeta, Instruction, InstructionError, InvokeContext, Keypair,
    Program, Pubkey, Runtime, Transaction, TransactionError,
};

const HOSTILE: Pubkey = Pubkey::new_from_array([66; 32]);

/// Misbehaves in the way its first data byte selects.
struct Hostile;

impl Program for Hostile {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        match data.first() {
            // Panic.
            Some(0) => panic!("hostile program panics"),
            // Loop until the compute budget is gone.
            Some(1) => loop {
                ctx.consume_checked(1_000)?;
            },
            // Grow its own account to 10 MiB + 1 bytes.
            Some(2) => ctx
                .borrow_instruction_account(0)?
                .set_data_length(10 * 1024 * 1024 + 1),
            // Write an account it does not own.
            Some(3) => {
                ctx.borrow_instruction_account(0)?.data_mut()?[0] = 0xff;
                Ok(())
            }
            _ => Err(InstructionError::InvalidInstructionData),
        }
    }
}

fn runtime(threads: usize) -> Runtime {
    Runtime::new()
        .with_threads(threads)
        .with_program(HOSTILE, Arc::new(Hostile))
}

#[test]
fn each_hostile_program_fails_only_its_own_transaction() {
    let payers: Vec<Keypair> = (1..=8u8).map(|n| Keypair::from_seed(&[n; 32])).collect();
    let own = Pubkey::new_from_u64(900); // owned by the hostile program
    let foreign = Pubkey::new_from_u64(901); // owned by the system program
    let receivers: Vec<Pubkey> = (0..4).map(|n| Pubkey::new_from_u64(1_000 + n)).collect();

    let run = |threads: usize| {
        let mut rt = runtime(threads);
        for p in &payers {
            rt.airdrop(&p.pubkey(), 1_000_000_000).unwrap();
        }
        rt.set_account(own, Account::new(100_000_000, 16, &HOSTILE))
            .unwrap();
        rt.set_account(foreign, Account::new(100_000_000, 16, &ids::SYSTEM_PROGRAM))
            .unwrap();
        let hostile = |kind: u8, account: Pubkey| {
            Instruction::new_with_bytes(HOSTILE, &[kind], vec![AccountMeta::new(account, false)])
        };
        let ixs: Vec<Instruction> = vec![
            hostile(0, own),
            system::instruction::transfer(&payers[1].pubkey(), &receivers[0], 5_000_000),
            hostile(1, own),
            system::instruction::transfer(&payers[3].pubkey(), &receivers[1], 5_000_000),
            hostile(2, own),
            system::instruction::transfer(&payers[5].pubkey(), &receivers[2], 5_000_000),
            hostile(3, foreign),
            system::instruction::transfer(&payers[7].pubkey(), &receivers[3], 5_000_000),
        ];
        let txs: Vec<Transaction> = ixs
            .iter()
            .zip(&payers)
            .map(|(ix, p)| {
                Transaction::new_signed_with_payer(
                    std::slice::from_ref(ix),
                    Some(&p.pubkey()),
                    &[p],
                    rt.latest_blockhash(),
                )
                .unwrap()
            })
            .collect();
        let results = rt.execute_batch(&txs);
        (rt, results)
    };

    let (rt, results) = run(2);
    let err = |e| Err(TransactionError::InstructionError(0, e));
    assert_eq!(
        results[0].status,
        err(InstructionError::ProgramFailedToComplete)
    );
    assert_eq!(
        results[2].status,
        err(InstructionError::ComputationalBudgetExceeded)
    );
    assert_eq!(results[4].status, err(InstructionError::InvalidRealloc));
    assert_eq!(
        results[6].status,
        err(InstructionError::ExternalAccountDataModified)
    );
    // The budget-exhausting transaction used all of its units.
    assert_eq!(results[2].compute_units_consumed, 200_000);
    for (i, r) in results.iter().enumerate() {
        // Every transaction was executed and charged; the well-behaved ones committed.
        assert_eq!(r.fee, 5_000, "tx {i}");
        if i % 2 == 1 {
            assert_eq!(r.status, Ok(()), "tx {i}");
        }
    }
    for r in &receivers {
        assert_eq!(rt.balance(r), 5_000_000);
    }
    // The hostile transactions changed nothing but their payers' fees.
    assert_eq!(
        rt.account(&own).unwrap(),
        Account::new(100_000_000, 16, &HOSTILE)
    );
    assert_eq!(
        rt.account(&foreign).unwrap(),
        Account::new(100_000_000, 16, &ids::SYSTEM_PROGRAM)
    );
    for p in payers.iter().step_by(2) {
        assert_eq!(rt.balance(&p.pubkey()), 1_000_000_000 - 5_000);
    }

    // The same batch on one thread gives the same results and state.
    let (serial, serial_results) = run(1);
    assert_eq!(serial_results, results);
    assert_eq!(serial.state_hash(), rt.state_hash());
}
