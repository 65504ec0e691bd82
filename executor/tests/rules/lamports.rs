//! Lamport balance (§3): debits, credits, overflow, unbalanced instructions.

use baton_types::{ids, Account, AccountMeta, InstructionError};

use crate::common::*;

#[test]
fn lamports_debit_of_foreign_account_is_external_spend() {
    let accs = vec![(key(1), Account::new(100, 0, &ids::SYSTEM_PROGRAM))];
    let out = run(
        accs,
        vec![AccountMeta::new(key(1), false)],
        op(0, 0, &50u64.to_le_bytes()),
    );
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountLamportSpend)
    );
    assert_eq!(out.accounts[0].1.lamports, 100);
}

#[test]
fn readonly_lamport_change() {
    let accs = vec![(key(1), owned(100, 0))];
    let out = run(
        accs,
        vec![AccountMeta::new_readonly(key(1), false)],
        op(0, 0, &150u64.to_le_bytes()),
    );
    assert_eq!(out.result, Err(InstructionError::ReadonlyLamportChange));
}

#[test]
fn crediting_a_foreign_writable_account_is_allowed_but_unbalanced_alone() {
    let accs = vec![(key(1), Account::new(100, 0, &ids::SYSTEM_PROGRAM))];
    let out = run(
        accs,
        vec![AccountMeta::new(key(1), false)],
        op(0, 0, &150u64.to_le_bytes()),
    );
    assert_eq!(out.result, Err(InstructionError::UnbalancedInstruction));
}

#[test]
fn overflow_is_arithmetic_overflow() {
    let accs = vec![(key(1), owned(1, 0)), (key(2), owned(u64::MAX, 0))];
    let metas = vec![
        AccountMeta::new(key(1), false),
        AccountMeta::new(key(2), false),
    ];
    let mut d = vec![7, 0, 1];
    d.extend_from_slice(&1u64.to_le_bytes());
    assert_eq!(
        run(accs, metas, d).result,
        Err(InstructionError::ArithmeticOverflow)
    );
}

#[test]
fn unbalanced_instruction() {
    let out = run(
        vec![(key(1), owned(100, 0))],
        vec![AccountMeta::new(key(1), false)],
        op(8, 0, &[]),
    );
    assert_eq!(out.result, Err(InstructionError::UnbalancedInstruction));
    assert_eq!(out.accounts[0].1.lamports, 100);
}
