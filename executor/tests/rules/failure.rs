//! Panics and journal rollback: a failing instruction changes nothing, a
//! failing message keeps only the fee; fee-payer rejections.

use baton_executor::process_message;
use baton_types::{
    ids, Account, AccountMeta, Hash, Instruction, InstructionError, Message, Pubkey,
    TransactionError,
};

use crate::common::*;

#[test]
fn panic_is_program_failed_to_complete_and_changes_nothing() {
    let out = run(
        vec![(key(1), owned(100, 0))],
        vec![AccountMeta::new(key(1), false)],
        vec![6],
    );
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(out.accounts[0].1, owned(100, 0));
}

#[test]
fn failing_second_instruction_undoes_the_first_and_keeps_the_fee() {
    let env = Env::new();
    let payer = key(1);
    let a = key(2);
    let b = key(3);
    let mut store = std::collections::HashMap::new();
    store.insert(payer, Account::new(10_000_000, 0, &ids::SYSTEM_PROGRAM));
    store.insert(a, owned(5_000_000, 0));
    store.insert(b, owned(5_000_000, 0));
    store.insert(
        PROG,
        Account {
            lamports: 1,
            data: vec![],
            owner: ids::NATIVE_LOADER,
            executable: true,
            rent_epoch: 0,
        },
    );
    let mut mv = vec![7, 0, 1];
    mv.extend_from_slice(&1_000u64.to_le_bytes());
    let metas = vec![AccountMeta::new(a, false), AccountMeta::new(b, false)];
    let ix1 = Instruction {
        program_id: PROG,
        accounts: metas.clone(),
        data: mv,
    };
    let ix2 = Instruction {
        program_id: PROG,
        accounts: metas,
        data: vec![9],
    };
    let msg = Message::new_with_blockhash(&[ix1.clone(), ix2], Some(&payer), &Hash::default());
    let load = |k: &Pubkey| store.get(k).cloned();
    let out = process_message(&msg, &load, env.env()).unwrap();
    assert_eq!(
        out.status,
        Err(TransactionError::InstructionError(
            1,
            InstructionError::Custom(42)
        ))
    );
    assert_eq!(out.fee, 5_000);
    // Only the fee payer changes, by exactly the fee.
    assert_eq!(out.changes.len(), 1);
    assert_eq!(
        out.changes[0],
        (
            payer,
            // Loaded writable and rent exempt: rent epoch u64::MAX.
            Account {
                rent_epoch: u64::MAX,
                ..Account::new(10_000_000 - 5_000, 0, &ids::SYSTEM_PROGRAM)
            }
        )
    );
    assert!(out.compute_units_consumed > 0);
    assert!(out
        .logs
        .iter()
        .any(|l| l.contains("failed: custom program error: 0x2a")));

    // The first instruction alone succeeds and commits both accounts.
    let msg = Message::new_with_blockhash(&[ix1], Some(&payer), &Hash::default());
    let out = process_message(&msg, &load, env.env()).unwrap();
    assert_eq!(out.status, Ok(()));
    let lam = |k: Pubkey| {
        out.changes
            .iter()
            .find(|(x, _)| *x == k)
            .map(|(_, a)| a.lamports)
    };
    assert_eq!(lam(a), Some(4_999_000));
    assert_eq!(lam(b), Some(5_001_000));
}

#[test]
fn fee_payer_rejections() {
    let env = Env::new();
    let payer = key(1);
    let ix = Instruction {
        program_id: PROG,
        accounts: vec![],
        data: vec![11],
    };
    let msg = Message::new_with_blockhash(&[ix], Some(&payer), &Hash::default());
    let prog = Account {
        lamports: 1,
        data: vec![],
        owner: ids::NATIVE_LOADER,
        executable: true,
        rent_epoch: 0,
    };
    let with = |p: Option<Account>| {
        let prog = prog.clone();
        move |k: &Pubkey| {
            if *k == PROG {
                Some(prog.clone())
            } else if *k == payer {
                p.clone()
            } else {
                None
            }
        }
    };
    assert_eq!(
        process_message(&msg, &with(None), env.env()).unwrap_err(),
        TransactionError::AccountNotFound
    );
    assert_eq!(
        process_message(&msg, &with(Some(owned(10_000_000, 0))), env.env()).unwrap_err(),
        TransactionError::InvalidAccountForFee
    );
    assert_eq!(
        process_message(
            &msg,
            &with(Some(Account::new(4_999, 0, &ids::SYSTEM_PROGRAM))),
            env.env()
        )
        .unwrap_err(),
        TransactionError::InsufficientFundsForFee
    );
    // Paying the fee would leave the payer rent-paying.
    assert_eq!(
        process_message(
            &msg,
            &with(Some(Account::new(890_880, 0, &ids::SYSTEM_PROGRAM))),
            env.env()
        )
        .unwrap_err(),
        TransactionError::InsufficientFundsForRent { account_index: 0 }
    );
}
