//! The mutation rules of §2: data, resize, owner, executable, read-only
//! program ids, duplicate borrows.

use baton_executor::{process_instruction, process_message};
use baton_types::{
    ids, Account, AccountMeta, Instruction, InstructionError, Message, Pubkey, TransactionError,
};

use crate::common::*;

#[test]
fn data_rules() {
    let accs = vec![
        (key(1), owned(100, 4)),
        (key(2), Account::new(100, 4, &OTHER)),
    ];
    let ro = run(
        accs.clone(),
        vec![AccountMeta::new_readonly(key(1), false)],
        op(1, 0, &[9]),
    );
    assert_eq!(ro.result, Err(InstructionError::ReadonlyDataModified));
    let ext = run(
        accs.clone(),
        vec![AccountMeta::new(key(2), false)],
        op(1, 0, &[9]),
    );
    assert_eq!(
        ext.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
    let ok = run(accs, vec![AccountMeta::new(key(1), false)], op(1, 0, &[9]));
    assert_eq!(ok.result, Ok(()));
    assert_eq!(ok.accounts[0].1.data, vec![9, 0, 0, 0]);
}

#[test]
fn resize_rules() {
    let accs = vec![
        (key(1), owned(100, 4)),
        (key(2), Account::new(100, 4, &OTHER)),
    ];
    let w = |k| vec![AccountMeta::new(k, false)];
    // A non-owner's resize passes the length limits and fails the
    // data-change check (Agave 4.2.2 has no AccountDataSizeChanged).
    let foreign = run(accs.clone(), w(key(2)), op(2, 0, &8u64.to_le_bytes()));
    assert_eq!(
        foreign.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
    let too_big = run(
        accs.clone(),
        w(key(1)),
        op(2, 0, &(10 * 1024 * 1024 + 1u64).to_le_bytes()),
    );
    assert_eq!(too_big.result, Err(InstructionError::InvalidRealloc));
    // A user program may grow an account by at most 10 KiB per instruction.
    let over = run(
        accs.clone(),
        w(key(1)),
        op(2, 0, &(4 + 10_240 + 1u64).to_le_bytes()),
    );
    assert_eq!(over.result, Err(InstructionError::InvalidRealloc));
    let at = run(accs, w(key(1)), op(2, 0, &(4 + 10_240u64).to_le_bytes()));
    assert_eq!(at.result, Ok(()));
    assert_eq!(at.accounts[0].1.data.len(), 10_244);
}

#[test]
fn owner_rules() {
    let w = |k| vec![AccountMeta::new(k, false)];
    let dirty = run(
        vec![(key(1), Account::with_data(100, vec![1], &PROG))],
        w(key(1)),
        op(3, 0, &[]),
    );
    assert_eq!(dirty.result, Err(InstructionError::ModifiedProgramId));
    let foreign = run(
        vec![(key(1), Account::new(100, 1, &OTHER))],
        w(key(1)),
        op(3, 0, &[]),
    );
    assert_eq!(foreign.result, Err(InstructionError::ModifiedProgramId));
    let ro = run(
        vec![(key(1), owned(100, 1))],
        vec![AccountMeta::new_readonly(key(1), false)],
        op(3, 0, &[]),
    );
    assert_eq!(ro.result, Err(InstructionError::ModifiedProgramId));
    let ok = run(vec![(key(1), owned(100, 1))], w(key(1)), op(3, 0, &[]));
    assert_eq!(ok.result, Ok(()));
    assert_eq!(ok.accounts[0].1.owner, OTHER);
}

/// SIMD-0162 (semantics.md §2.2, §2.4): no executable checks in the data
/// write check or in `set_owner`; the data check is writable first, then
/// owner.
#[test]
fn executable_accounts_follow_the_plain_rules() {
    let exec = |a: Account| Account {
        executable: true,
        ..a
    };
    let w = |k| vec![AccountMeta::new(k, false)];
    // Writing an executable account the program owns, on a writable meta.
    let write = run(
        vec![(key(1), exec(owned(100, 4)))],
        w(key(1)),
        op(1, 0, &[9]),
    );
    assert_eq!(write.result, Ok(()));
    assert_eq!(write.accounts[0].1.data, vec![9, 0, 0, 0]);
    // Assigning an executable, zeroed account the program owns.
    let assign = run(
        vec![(key(1), exec(owned(100, 0)))],
        w(key(1)),
        op(3, 0, &[]),
    );
    assert_eq!(assign.result, Ok(()));
    assert_eq!(assign.accounts[0].1.owner, OTHER);
    // Read-only and foreign at once: the writable check comes first.
    let both = run(
        vec![(key(1), exec(Account::new(100, 4, &OTHER)))],
        vec![AccountMeta::new_readonly(key(1), false)],
        op(1, 0, &[9]),
    );
    assert_eq!(both.result, Err(InstructionError::ReadonlyDataModified));
    let foreign = run(
        vec![(key(1), exec(Account::new(100, 4, &OTHER)))],
        w(key(1)),
        op(1, 0, &[9]),
    );
    assert_eq!(
        foreign.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
}

/// A program id the message invokes is demoted to read-only (semantics.md
/// §1.1, §2.2): even listed as writable, writing it is
/// `ReadonlyDataModified`.
#[test]
fn an_invoked_program_id_is_read_only() {
    let env = Env::new();
    let payer = key(1);
    // The program account, a native-loader program's (as Agave requires of
    // a program account); listed as a writable non-signer in the header.
    // The writable check comes before the owner check, so it refuses it.
    let prog_account = Account {
        executable: true,
        ..Account::new(1_000_000_000, 4, &ids::NATIVE_LOADER)
    };
    let accounts = vec![
        (payer, Account::new(1_000_000_000, 0, &ids::SYSTEM_PROGRAM)),
        (PROG, prog_account),
    ];
    let ix = Instruction {
        program_id: PROG,
        accounts: vec![AccountMeta::new(PROG, false)],
        data: op(1, 0, &[9]),
    };
    // The same through process_instruction (Mollusk's single instruction).
    let single = process_instruction(&accounts, &ix, 200_000, env.env());
    assert_eq!(single.result, Err(InstructionError::ReadonlyDataModified));
    let message = Message::new(std::slice::from_ref(&ix), Some(&payer));
    let at = message
        .account_keys
        .iter()
        .position(|k| *k == PROG)
        .unwrap();
    assert!(!message.is_writable(at));
    let load = |k: &Pubkey| {
        accounts
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, a)| a.clone())
    };
    let out = process_message(&message, &load, env.env()).unwrap();
    assert_eq!(
        out.status,
        Err(TransactionError::InstructionError(
            0,
            InstructionError::ReadonlyDataModified
        ))
    );
    // Owned by neither the native loader nor a BPF loader, Agave 4.2.2's
    // loader refuses it before anything runs (fees-only), and a single
    // instruction fails before its `invoke` line.
    let foreign = Account {
        executable: true,
        ..Account::new(1_000_000_000, 4, &PROG)
    };
    let accounts = vec![accounts[0].clone(), (PROG, foreign)];
    let single = process_instruction(&accounts, &ix, 200_000, env.env());
    assert_eq!(single.result, Err(InstructionError::UnsupportedProgramId));
    assert!(single.logs.is_empty(), "{:?}", single.logs);
    let load = |k: &Pubkey| {
        accounts
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, a)| a.clone())
    };
    let out = process_message(&message, &load, env.env()).unwrap();
    assert_eq!(
        out.status,
        Err(TransactionError::InvalidProgramForExecution)
    );
}

#[test]
fn executable_rules() {
    let w = |k| vec![AccountMeta::new(k, false)];
    let poor = run(vec![(key(1), owned(100, 0))], w(key(1)), op(4, 0, &[]));
    assert_eq!(
        poor.result,
        Err(InstructionError::ExecutableAccountNotRentExempt)
    );
    let foreign = run(
        vec![(key(1), Account::new(10_000_000, 0, &OTHER))],
        w(key(1)),
        op(4, 0, &[]),
    );
    assert_eq!(foreign.result, Err(InstructionError::ExecutableModified));
    let ok = run(
        vec![(key(1), owned(10_000_000, 0))],
        w(key(1)),
        op(4, 0, &[]),
    );
    assert_eq!(ok.result, Ok(()));
    assert!(ok.accounts[0].1.executable);
}

#[test]
fn duplicate_mutable_borrow_fails() {
    let accs = vec![(key(1), owned(100, 0))];
    let metas = vec![
        AccountMeta::new(key(1), false),
        AccountMeta::new(key(1), false),
    ];
    assert_eq!(
        run(accs, metas, vec![5, 0, 1]).result,
        Err(InstructionError::AccountBorrowFailed)
    );
}
