//! The system program through `process_instruction`: every instruction's
//! success path and each of its errors, with Agave's error values, 150
//! compute units, and no state change on failure.

#![allow(clippy::unwrap_used)]

mod common;

use baton_programs::system::instruction::{self as sys, SystemInstruction};
use baton_programs::system::nonce::{self, State, Versions};
use baton_programs::system::{self, SystemError, Transfer, DEFAULT_COMPUTE_UNITS};
use baton_types::{ids, pda, Account, Instruction, InstructionError, MAX_PERMITTED_DATA_LENGTH};
use common::*;

// ---------------------------------------------------------------- decoding

#[test]
fn malformed_data_is_invalid_instruction_data_and_costs_150() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(100)), (key(2), sys(0))];
    let good = sys::transfer(&key(1), &key(2), 1);
    for data in [
        vec![],
        vec![2, 0, 0, 0, 1],
        vec![13, 0, 0, 0],
        vec![99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ] {
        let ix = Instruction {
            data,
            ..good.clone()
        };
        expect_err(
            &env,
            &accounts,
            &ix,
            InstructionError::InvalidInstructionData,
        );
    }
}

#[test]
fn units_are_charged_first() {
    let mut env = Env::new();
    env.budget = DEFAULT_COMPUTE_UNITS - 1;
    let accounts = vec![(key(1), sys(100)), (key(2), sys(0))];
    let out = env.run(&accounts, &sys::transfer(&key(1), &key(2), 1));
    assert_eq!(
        out.result,
        Err(InstructionError::ComputationalBudgetExceeded)
    );
    assert_eq!(out.accounts, accounts);
}

#[test]
fn builtin_logs_no_consumed_line() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(100)), (key(2), sys(0))];
    let out = env.run(&accounts, &sys::transfer(&key(1), &key(2), 1));
    assert_ok(&out);
    let id = system::ID.to_string();
    assert_eq!(
        out.logs,
        vec![
            format!("Program {id} invoke [1]"),
            format!("Program {id} success")
        ]
    );
}

// ---------------------------------------------------------------- Transfer

#[test]
fn transfer_moves_lamports() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(1_000)), (key(2), sys(5))];
    let out = env.run(&accounts, &sys::transfer(&key(1), &key(2), 300));
    assert_ok(&out);
    assert_eq!(acc(&out, &key(1)).lamports, 700);
    assert_eq!(acc(&out, &key(2)).lamports, 305);
}

#[test]
fn transfer_to_new_account_and_to_self_and_zero() {
    let env = Env::new();
    // To an account the caller did not provide (empty, created by the credit).
    let out = env.run(&[(key(1), sys(10))], &sys::transfer(&key(1), &key(9), 10));
    assert_ok(&out);
    assert_eq!(acc(&out, &key(1)).lamports, 0);
    // To itself: `from` is released before `to` is borrowed.
    let accounts = vec![(key(1), sys(10))];
    let out = env.run(&accounts, &sys::transfer(&key(1), &key(1), 7));
    assert_ok(&out);
    assert_eq!(acc(&out, &key(1)).lamports, 10);
    // Zero lamports from an empty account.
    let accounts = vec![(key(1), sys(0)), (key(2), sys(0))];
    assert_ok(&env.run(&accounts, &sys::transfer(&key(1), &key(2), 0)));
}

#[test]
fn transfer_logs_are_skipped_when_collection_is_off() {
    let mut env = Env::new();
    env.config.collect_logs = false;
    let accounts = vec![(key(1), sys(1)), (key(2), sys(0))];
    let out = env.run(&accounts, &sys::transfer(&key(1), &key(2), 2));
    assert_eq!(
        out.result,
        Err(custom(SystemError::ResultWithNegativeLamports))
    );
    assert!(out.logs.is_empty());
}

#[test]
fn transfer_errors() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(100)), (key(2), sys(0))];
    let ix = sys::transfer(&key(1), &key(2), 50);

    // Too few accounts.
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::NotEnoughAccountKeys,
    );
    // `from` did not sign.
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, true),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(
        &logs,
        &format!("Transfer: `from` account {} must sign", key(1))
    ));
    // `from` carries data.
    let with_data = vec![
        (key(1), Account::new(100, 1, &system::ID)),
        (key(2), sys(0)),
    ];
    let logs = expect_err(&env, &with_data, &ix, InstructionError::InvalidArgument);
    assert!(logged(&logs, "Transfer: `from` must not carry data"));
    // Not enough lamports.
    let logs = expect_err(
        &env,
        &accounts,
        &sys::transfer(&key(1), &key(2), 101),
        custom(SystemError::ResultWithNegativeLamports),
    );
    assert!(logged(
        &logs,
        "Transfer: insufficient lamports 100, need 101"
    ));
    // `from` not owned by the system program.
    let foreign = vec![(key(1), Account::new(100, 0, &key(77))), (key(2), sys(0))];
    expect_err(
        &env,
        &foreign,
        &ix,
        InstructionError::ExternalAccountLamportSpend,
    );
    // Read-only `from`, read-only `to`.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, true, false),
        InstructionError::ReadonlyLamportChange,
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 1, false, false),
        InstructionError::ReadonlyLamportChange,
    );
    // `to` overflows.
    let full = vec![(key(1), sys(100)), (key(2), sys(u64::MAX - 10))];
    expect_err(&env, &full, &ix, InstructionError::ArithmeticOverflow);
}

// ---------------------------------------------------------------- CreateAccount

#[test]
fn create_account_funds_allocates_assigns() {
    let env = Env::new();
    let owner = key(50);
    let accounts = vec![(key(1), sys(1_000)), (key(2), Account::default())];
    let out = env.run(
        &accounts,
        &sys::create_account(&key(1), &key(2), 400, 10, &owner),
    );
    assert_ok(&out);
    assert_eq!(acc(&out, &key(1)).lamports, 600);
    let new = acc(&out, &key(2));
    assert_eq!(
        (new.lamports, new.data, new.owner),
        (400, vec![0; 10], owner)
    );
}

#[test]
fn create_account_zero_lamports_from_foreign_payer() {
    // Agave's test_create_with_zero_lamports: nothing is debited, so the
    // payer's owner does not matter.
    let env = Env::new();
    let accounts = vec![
        (key(1), Account::new(100, 0, &key(66))),
        (key(2), Account::default()),
    ];
    let out = env.run(
        &accounts,
        &sys::create_account(&key(1), &key(2), 0, 2, &key(50)),
    );
    assert_ok(&out);
    assert_eq!(acc(&out, &key(2)).owner, key(50));
    assert_eq!(acc(&out, &key(1)).lamports, 100);
}

#[test]
fn create_account_max_length_is_allowed() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(100)), (key(2), Account::default())];
    let out = env.run(
        &accounts,
        &sys::create_account(
            &key(1),
            &key(2),
            1,
            MAX_PERMITTED_DATA_LENGTH as u64,
            &key(50),
        ),
    );
    assert_ok(&out);
    assert_eq!(acc(&out, &key(2)).data.len(), MAX_PERMITTED_DATA_LENGTH);
}

#[test]
fn create_account_errors() {
    let env = Env::new();
    let owner = key(50);
    let accounts = vec![(key(1), sys(1_000)), (key(2), Account::default())];
    let ix = sys::create_account(&key(1), &key(2), 400, 10, &owner);

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::NotEnoughAccountKeys,
    );
    // The new account already holds lamports.
    let funded = vec![(key(1), sys(1_000)), (key(2), sys(1))];
    let logs = expect_err(&env, &funded, &ix, custom(SystemError::AccountAlreadyInUse));
    assert!(logged(
        &logs,
        &format!(
            "Create Account: account Address {{ address: {}, base: None }} already in use",
            key(2)
        )
    ));
    // The new account did not sign.
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 1, false, true),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(&logs, "Allocate: 'to' account Address {"));
    // The new account has data, or another owner.
    let with_data = vec![
        (key(1), sys(1_000)),
        (key(2), Account::new(0, 1, &system::ID)),
    ];
    expect_err(
        &env,
        &with_data,
        &ix,
        custom(SystemError::AccountAlreadyInUse),
    );
    let foreign = vec![(key(1), sys(1_000)), (key(2), Account::new(0, 0, &key(3)))];
    expect_err(
        &env,
        &foreign,
        &ix,
        custom(SystemError::AccountAlreadyInUse),
    );
    // Too much space.
    let logs = expect_err(
        &env,
        &accounts,
        &sys::create_account(
            &key(1),
            &key(2),
            1,
            MAX_PERMITTED_DATA_LENGTH as u64 + 1,
            &owner,
        ),
        custom(SystemError::InvalidAccountDataLength),
    );
    assert!(logged(
        &logs,
        &format!(
            "Allocate: requested {}, max allowed {}",
            MAX_PERMITTED_DATA_LENGTH + 1,
            MAX_PERMITTED_DATA_LENGTH
        )
    ));
    // The funding account did not sign / carries data / is short.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, true),
        InstructionError::MissingRequiredSignature,
    );
    let payer_data = vec![
        (key(1), Account::new(1_000, 3, &system::ID)),
        (key(2), Account::default()),
    ];
    expect_err(&env, &payer_data, &ix, InstructionError::InvalidArgument);
    expect_err(
        &env,
        &accounts,
        &sys::create_account(&key(1), &key(2), 1_001, 10, &owner),
        custom(SystemError::ResultWithNegativeLamports),
    );
    // A foreign payer cannot be debited.
    let foreign_payer = vec![
        (key(1), Account::new(1_000, 0, &key(66))),
        (key(2), Account::default()),
    ];
    expect_err(
        &env,
        &foreign_payer,
        &ix,
        InstructionError::ExternalAccountLamportSpend,
    );
    // A read-only new account: the data rule, even for zero space.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 1, true, false),
        InstructionError::ReadonlyDataModified,
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(
            sys::create_account(&key(1), &key(2), 400, 0, &owner),
            1,
            true,
            false,
        ),
        InstructionError::ReadonlyDataModified,
    );
    // Payer and new account the same funded account.
    let same = vec![(key(1), sys(1_000))];
    expect_err(
        &env,
        &same,
        &sys::create_account(&key(1), &key(1), 1, 0, &owner),
        custom(SystemError::AccountAlreadyInUse),
    );
}

// ---------------------------------------------------------------- Assign

#[test]
fn assign_changes_owner() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(10))];
    let out = env.run(&accounts, &sys::assign(&key(1), &key(50)));
    assert_ok(&out);
    assert_eq!(acc(&out, &key(1)).owner, key(50));
    // Zeroed data may be reassigned.
    let zeroed = vec![(key(1), Account::new(10, 4, &system::ID))];
    let out = env.run(&zeroed, &sys::assign(&key(1), &key(50)));
    assert_ok(&out);
    assert_eq!(acc(&out, &key(1)).owner, key(50));
}

#[test]
fn assign_to_current_owner_needs_no_signature() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(10))];
    let ix = with_meta(sys::assign(&key(1), &system::ID), 0, false, false);
    let out = env.run(&accounts, &ix);
    assert_ok(&out);
    assert_eq!(out.accounts, accounts);
}

#[test]
fn assign_errors() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(10))];
    let ix = sys::assign(&key(1), &key(50));

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, true),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(
        &logs,
        &format!(
            "Assign: account Address {{ address: {}, base: None }} must sign",
            key(1)
        )
    ));
    // Non-zero data, read-only, foreign owner: the executor's owner rule.
    let data = vec![(key(1), Account::with_data(10, vec![1], &system::ID))];
    expect_err(&env, &data, &ix, InstructionError::ModifiedProgramId);
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, true, false),
        InstructionError::ModifiedProgramId,
    );
    let foreign = vec![(key(1), Account::new(10, 0, &key(3)))];
    expect_err(&env, &foreign, &ix, InstructionError::ModifiedProgramId);
}

// ---------------------------------------------------------------- Allocate

#[test]
fn allocate_gives_space() {
    let env = Env::new();
    let accounts = vec![(key(1), Account::default())];
    let out = env.run(&accounts, &sys::allocate(&key(1), 33));
    assert_ok(&out);
    let a = acc(&out, &key(1));
    assert_eq!((a.data, a.owner), (vec![0; 33], system::ID));
}

#[test]
fn allocate_errors() {
    let env = Env::new();
    let accounts = vec![(key(1), Account::default())];
    let ix = sys::allocate(&key(1), 33);

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, true),
        InstructionError::MissingRequiredSignature,
    );
    let used = vec![(key(1), Account::new(0, 1, &system::ID))];
    let logs = expect_err(&env, &used, &ix, custom(SystemError::AccountAlreadyInUse));
    assert!(logged(&logs, "Allocate: account Address {"));
    let foreign = vec![(key(1), Account::new(0, 0, &key(5)))];
    expect_err(
        &env,
        &foreign,
        &ix,
        custom(SystemError::AccountAlreadyInUse),
    );
    expect_err(
        &env,
        &accounts,
        &sys::allocate(&key(1), MAX_PERMITTED_DATA_LENGTH as u64 + 1),
        custom(SystemError::InvalidAccountDataLength),
    );
    expect_err(
        &env,
        &accounts,
        &sys::allocate(&key(1), u64::MAX),
        custom(SystemError::InvalidAccountDataLength),
    );
    // Read-only: the data rule applies even when the length stays 0.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix, 0, true, false),
        InstructionError::ReadonlyDataModified,
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(sys::allocate(&key(1), 0), 0, true, false),
        InstructionError::ReadonlyDataModified,
    );
}

// ---------------------------------------------------------------- CreateAccountWithSeed

#[test]
fn create_account_with_seed_base_is_payer() {
    let env = Env::new();
    let owner = key(50);
    let to = pda::create_with_seed(&key(1), "shiny pepper", &owner).unwrap();
    let accounts = vec![(key(1), sys(100)), (to, Account::default())];
    let ix = sys::create_account_with_seed(&key(1), &to, &key(1), "shiny pepper", 50, 2, &owner);
    assert_eq!(ix.accounts.len(), 2);
    let out = env.run(&accounts, &ix);
    assert_ok(&out);
    let a = acc(&out, &to);
    assert_eq!((a.lamports, a.data, a.owner), (50, vec![0, 0], owner));
    assert_eq!(acc(&out, &key(1)).lamports, 50);
}

#[test]
fn create_account_with_seed_separate_base() {
    let env = Env::new();
    let owner = key(50);
    let base = key(3);
    let to = pda::create_with_seed(&base, "seed", &owner).unwrap();
    let accounts = vec![
        (key(1), sys(100)),
        (to, Account::default()),
        (base, Account::default()),
    ];
    let ix = sys::create_account_with_seed(&key(1), &to, &base, "seed", 50, 2, &owner);
    let out = env.run(&accounts, &ix);
    assert_ok(&out);
    assert_eq!(acc(&out, &to).owner, owner);
}

#[test]
fn create_account_with_seed_errors() {
    let env = Env::new();
    let owner = key(50);
    let base = key(3);
    let to = pda::create_with_seed(&base, "seed", &owner).unwrap();
    let accounts = vec![
        (key(1), sys(100)),
        (to, Account::default()),
        (base, Account::default()),
    ];
    let ix = sys::create_account_with_seed(&key(1), &to, &base, "seed", 50, 2, &owner);

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::NotEnoughAccountKeys,
    );
    // Wrong address.
    let wrong = vec![
        (key(1), sys(100)),
        (key(9), Account::default()),
        (base, Account::default()),
    ];
    let logs = expect_err(
        &env,
        &wrong,
        &with_key(ix.clone(), 1, key(9)),
        custom(SystemError::AddressWithSeedMismatch),
    );
    assert!(logged(
        &logs,
        &format!(
            "Create: address {} does not match derived address {}",
            key(9),
            to
        )
    ));
    // Seed over 32 bytes; owner with the PDA marker.
    let long = "x".repeat(33);
    expect_err(
        &env,
        &accounts,
        &sys::create_account_with_seed(&key(1), &to, &base, &long, 50, 2, &owner),
        InstructionError::MaxSeedLengthExceeded,
    );
    expect_err(
        &env,
        &accounts,
        &sys::create_account_with_seed(&key(1), &to, &base, "seed", 50, 2, &pda_marker_owner()),
        InstructionError::IllegalOwner,
    );
    // The base did not sign (the created account's own signature does not count).
    let unsigned_base = with_meta(with_meta(ix.clone(), 2, false, false), 1, true, true);
    expect_err(
        &env,
        &accounts,
        &unsigned_base,
        InstructionError::MissingRequiredSignature,
    );
    // Already in use, short payer, unsigned payer.
    let funded = vec![(key(1), sys(100)), (to, sys(1)), (base, Account::default())];
    expect_err(&env, &funded, &ix, custom(SystemError::AccountAlreadyInUse));
    expect_err(
        &env,
        &accounts,
        &sys::create_account_with_seed(&key(1), &to, &base, "seed", 101, 2, &owner),
        custom(SystemError::ResultWithNegativeLamports),
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, true),
        InstructionError::MissingRequiredSignature,
    );
    // Too much space.
    expect_err(
        &env,
        &accounts,
        &sys::create_account_with_seed(
            &key(1),
            &to,
            &base,
            "seed",
            1,
            MAX_PERMITTED_DATA_LENGTH as u64 + 1,
            &owner,
        ),
        custom(SystemError::InvalidAccountDataLength),
    );
}

// ---------------------------------------------------------------- AllocateWithSeed

#[test]
fn allocate_with_seed_allocates_and_assigns() {
    let env = Env::new();
    let owner = key(50);
    let base = key(3);
    let addr = pda::create_with_seed(&base, "a", &owner).unwrap();
    let accounts = vec![(addr, Account::default()), (base, Account::default())];
    let out = env.run(
        &accounts,
        &sys::allocate_with_seed(&addr, &base, "a", 12, &owner),
    );
    assert_ok(&out);
    let a = acc(&out, &addr);
    assert_eq!((a.data, a.owner), (vec![0; 12], owner));
}

#[test]
fn allocate_with_seed_errors() {
    let env = Env::new();
    let owner = key(50);
    let base = key(3);
    let addr = pda::create_with_seed(&base, "a", &owner).unwrap();
    let accounts = vec![(addr, Account::default()), (base, Account::default())];
    let ix = sys::allocate_with_seed(&addr, &base, "a", 12, &owner);

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &sys::allocate_with_seed(&addr, &base, "b", 12, &owner),
        custom(SystemError::AddressWithSeedMismatch),
    );
    expect_err(
        &env,
        &accounts,
        &sys::allocate_with_seed(&addr, &base, &"a".repeat(33), 12, &owner),
        InstructionError::MaxSeedLengthExceeded,
    );
    expect_err(
        &env,
        &accounts,
        &sys::allocate_with_seed(&addr, &base, "a", 12, &pda_marker_owner()),
        InstructionError::IllegalOwner,
    );
    // The base must sign; the address signing instead does not count.
    expect_err(
        &env,
        &accounts,
        &with_meta(with_meta(ix.clone(), 1, false, false), 0, true, true),
        InstructionError::MissingRequiredSignature,
    );
    let used = vec![
        (addr, Account::new(0, 1, &system::ID)),
        (base, Account::default()),
    ];
    expect_err(&env, &used, &ix, custom(SystemError::AccountAlreadyInUse));
    expect_err(
        &env,
        &accounts,
        &sys::allocate_with_seed(
            &addr,
            &base,
            "a",
            MAX_PERMITTED_DATA_LENGTH as u64 + 1,
            &owner,
        ),
        custom(SystemError::InvalidAccountDataLength),
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(ix, 0, false, false),
        InstructionError::ReadonlyDataModified,
    );
}

// ---------------------------------------------------------------- AssignWithSeed

#[test]
fn assign_with_seed_assigns() {
    let env = Env::new();
    let owner = key(50);
    let base = key(3);
    let addr = pda::create_with_seed(&base, "z", &owner).unwrap();
    let accounts = vec![(addr, sys(5)), (base, Account::default())];
    let out = env.run(&accounts, &sys::assign_with_seed(&addr, &base, "z", &owner));
    assert_ok(&out);
    assert_eq!(acc(&out, &addr).owner, owner);
    // Already owned by `owner`: no signature needed.
    let owned = vec![
        (addr, Account::new(5, 0, &owner)),
        (base, Account::default()),
    ];
    let ix = with_meta(
        sys::assign_with_seed(&addr, &base, "z", &owner),
        1,
        false,
        false,
    );
    assert_ok(&env.run(&owned, &ix));
}

#[test]
fn assign_with_seed_errors() {
    let env = Env::new();
    let owner = key(50);
    let base = key(3);
    let addr = pda::create_with_seed(&base, "z", &owner).unwrap();
    let accounts = vec![(addr, sys(5)), (base, Account::default())];
    let ix = sys::assign_with_seed(&addr, &base, "z", &owner);

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &sys::assign_with_seed(&addr, &base, "y", &owner),
        custom(SystemError::AddressWithSeedMismatch),
    );
    expect_err(
        &env,
        &accounts,
        &sys::assign_with_seed(&addr, &base, &"z".repeat(33), &owner),
        InstructionError::MaxSeedLengthExceeded,
    );
    expect_err(
        &env,
        &accounts,
        &sys::assign_with_seed(&addr, &base, "z", &pda_marker_owner()),
        InstructionError::IllegalOwner,
    );
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 1, false, false),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(
        &logs,
        &format!("Assign: account Address {{ address: {addr}, base: Some({base}) }} must sign")
    ));
    let data = vec![
        (addr, Account::with_data(5, vec![9], &system::ID)),
        (base, Account::default()),
    ];
    expect_err(&env, &data, &ix, InstructionError::ModifiedProgramId);
}

// ---------------------------------------------------------------- TransferWithSeed

#[test]
fn transfer_with_seed_moves_lamports() {
    let env = Env::new();
    let base = key(3);
    let from = pda::create_with_seed(&base, "t", &system::ID).unwrap();
    let accounts = vec![
        (from, sys(100)),
        (base, Account::default()),
        (key(4), sys(0)),
    ];
    let out = env.run(
        &accounts,
        &sys::transfer_with_seed(&from, &base, "t", &system::ID, &key(4), 60),
    );
    assert_ok(&out);
    assert_eq!(acc(&out, &from).lamports, 40);
    assert_eq!(acc(&out, &key(4)).lamports, 60);
}

#[test]
fn transfer_with_seed_errors() {
    let env = Env::new();
    let base = key(3);
    let from = pda::create_with_seed(&base, "t", &system::ID).unwrap();
    let accounts = vec![
        (from, sys(100)),
        (base, Account::default()),
        (key(4), sys(0)),
    ];
    let ix = sys::transfer_with_seed(&from, &base, "t", &system::ID, &key(4), 60);

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 2),
        InstructionError::NotEnoughAccountKeys,
    );
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 1, false, false),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(
        &logs,
        &format!("Transfer: 'from' account {base} must sign")
    ));
    expect_err(
        &env,
        &accounts,
        &sys::transfer_with_seed(&from, &base, &"t".repeat(33), &system::ID, &key(4), 60),
        InstructionError::MaxSeedLengthExceeded,
    );
    expect_err(
        &env,
        &accounts,
        &sys::transfer_with_seed(&from, &base, "t", &pda_marker_owner(), &key(4), 60),
        InstructionError::IllegalOwner,
    );
    let logs = expect_err(
        &env,
        &accounts,
        &sys::transfer_with_seed(&from, &base, "u", &system::ID, &key(4), 60),
        custom(SystemError::AddressWithSeedMismatch),
    );
    assert!(logged(
        &logs,
        &format!("Transfer: 'from' address {from} does not match derived address")
    ));
    let with_data = vec![
        (from, Account::new(100, 2, &system::ID)),
        (base, Account::default()),
        (key(4), sys(0)),
    ];
    expect_err(&env, &with_data, &ix, InstructionError::InvalidArgument);
    expect_err(
        &env,
        &accounts,
        &sys::transfer_with_seed(&from, &base, "t", &system::ID, &key(4), 101),
        custom(SystemError::ResultWithNegativeLamports),
    );
    // Seeded from another program's id: the system program cannot debit it.
    let prog = key(88);
    let foreign_from = pda::create_with_seed(&base, "t", &prog).unwrap();
    let foreign = vec![
        (foreign_from, Account::new(100, 0, &prog)),
        (base, Account::default()),
        (key(4), sys(0)),
    ];
    expect_err(
        &env,
        &foreign,
        &sys::transfer_with_seed(&foreign_from, &base, "t", &prog, &key(4), 1),
        InstructionError::ExternalAccountLamportSpend,
    );
}

// ---------------------------------------------------------------- InitializeNonceAccount

#[test]
fn initialize_nonce_account_stores_durable_nonce() {
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![(
        key(1),
        Account::new(min, nonce::NONCE_STATE_SIZE, &system::ID),
    )];
    let out = env.run(&accounts, &sys::initialize_nonce_account(&key(1), &key(7)));
    assert_ok(&out);
    assert_eq!(
        state_of(&acc(&out, &key(1))),
        Versions::Current(State::Initialized(nonce_data(key(7), BH1)))
    );
}

#[test]
fn create_nonce_account_builder_runs_end_to_end() {
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let mut accounts = vec![(key(1), sys(min * 2)), (key(2), Account::default())];
    for ix in sys::create_nonce_account(&key(1), &key(2), &key(7), min) {
        let out = env.run(&accounts, &ix);
        assert_ok(&out);
        accounts = out.accounts;
    }
    let a = accounts[1].1.clone();
    assert_eq!(a.lamports, min);
    assert_eq!(a.owner, system::ID);
    assert_eq!(
        state_of(&a),
        Versions::new(State::Initialized(nonce_data(key(7), BH1)))
    );
}

#[test]
fn initialize_nonce_account_errors() {
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let fresh = Account::new(min, nonce::NONCE_STATE_SIZE, &system::ID);
    let accounts = vec![(key(1), fresh.clone())];
    let ix = sys::initialize_nonce_account(&key(1), &key(7));

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &with_key(ix.clone(), 1, ids::SYSVAR_CLOCK),
        InstructionError::InvalidArgument,
    );
    let mut empty = Env::new();
    empty.set_blockhashes(&[]);
    let logs = expect_err(
        &empty,
        &accounts,
        &ix,
        custom(SystemError::NonceNoRecentBlockhashes),
    );
    assert!(logged(
        &logs,
        "Initialize nonce account: recent blockhash list is empty"
    ));
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 2),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &with_key(ix.clone(), 2, ids::SYSVAR_CLOCK),
        InstructionError::InvalidArgument,
    );
    // Read-only nonce account.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, false),
        InstructionError::InvalidArgument,
    );
    // Already initialized; no nonce data at all.
    let init = vec![(key(1), initialized(min, key(7), BH2))];
    let logs = expect_err(&env, &init, &ix, InstructionError::InvalidAccountData);
    assert!(logged(&logs, "state is invalid"));
    let no_data = vec![(key(1), sys(min))];
    expect_err(&env, &no_data, &ix, InstructionError::InvalidAccountData);
    // Below rent exemption.
    let poor = vec![(
        key(1),
        Account::new(min - 1, nonce::NONCE_STATE_SIZE, &system::ID),
    )];
    let logs = expect_err(&env, &poor, &ix, InstructionError::InsufficientFunds);
    assert!(logged(
        &logs,
        &format!(
            "Initialize nonce account: insufficient lamports {}, need {min}",
            min - 1
        )
    ));
    // Not a system account; too short for the initialized state.
    let foreign = vec![(key(1), Account::new(min, nonce::NONCE_STATE_SIZE, &key(5)))];
    expect_err(
        &env,
        &foreign,
        &ix,
        InstructionError::ExternalAccountDataModified,
    );
    let short = vec![(key(1), Account::new(min, 8, &system::ID))];
    expect_err(&env, &short, &ix, InstructionError::AccountDataTooSmall);
}

// ---------------------------------------------------------------- AdvanceNonceAccount

#[test]
fn advance_nonce_account_replaces_nonce() {
    let env = Env::new().with_blockhash(BH2);
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![(key(1), initialized(min, key(7), BH1)), (key(7), sys(1))];
    let out = env.run(&accounts, &sys::advance_nonce_account(&key(1), &key(7)));
    assert_ok(&out);
    assert_eq!(
        state_of(&acc(&out, &key(1))),
        Versions::Current(State::Initialized(nonce_data(key(7), BH2)))
    );
    // A legacy nonce advances into the current version.
    let legacy = vec![(
        key(1),
        nonce_account(
            min,
            Versions::Legacy(State::Initialized(nonce_data(key(7), BH1))),
        ),
    )];
    let out = env.run(&legacy, &sys::advance_nonce_account(&key(1), &key(7)));
    assert_ok(&out);
    assert_eq!(
        state_of(&acc(&out, &key(1))),
        Versions::Current(State::Initialized(nonce_data(key(7), BH2)))
    );
}

#[test]
fn advance_nonce_account_errors() {
    let env = Env::new().with_blockhash(BH2);
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![(key(1), initialized(min, key(7), BH1))];
    let ix = sys::advance_nonce_account(&key(1), &key(7));

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &with_key(ix.clone(), 1, ids::SYSVAR_RENT),
        InstructionError::InvalidArgument,
    );
    let mut empty = Env::new();
    empty.set_blockhashes(&[]);
    let logs = expect_err(
        &empty,
        &accounts,
        &ix,
        custom(SystemError::NonceNoRecentBlockhashes),
    );
    assert!(logged(
        &logs,
        "Advance nonce account: recent blockhash list is empty"
    ));
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, false),
        InstructionError::InvalidArgument,
    );
    // Uninitialized, or not nonce data.
    let uninit = vec![(key(1), nonce_account(min, Versions::default()))];
    expect_err(&env, &uninit, &ix, InstructionError::InvalidAccountData);
    let garbage = vec![(key(1), Account::with_data(min, vec![7; 80], &system::ID))];
    expect_err(&env, &garbage, &ix, InstructionError::InvalidAccountData);
    // The authority did not sign (the nonce account's own signature does not count).
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(with_meta(ix.clone(), 2, false, false), 0, true, true),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(
        &logs,
        &format!("Advance nonce account: Account {} must be a signer", key(7))
    ));
    // Same blockhash as stored.
    let logs = expect_err(
        &Env::new().with_blockhash(BH1),
        &accounts,
        &ix,
        custom(SystemError::NonceBlockhashNotExpired),
    );
    assert!(logged(&logs, "nonce can only advance once per slot"));
    // Not a system account.
    let mut foreign_acc = initialized(min, key(7), BH1);
    foreign_acc.owner = key(5);
    expect_err(
        &env,
        &[(key(1), foreign_acc)],
        &ix,
        InstructionError::ExternalAccountDataModified,
    );
}

// ---------------------------------------------------------------- WithdrawNonceAccount

#[test]
fn withdraw_nonce_account_partial_keeps_rent_exemption() {
    let env = Env::new().with_blockhash(BH2);
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![
        (key(1), initialized(min + 100, key(7), BH1)),
        (key(2), sys(0)),
    ];
    let out = env.run(
        &accounts,
        &sys::withdraw_nonce_account(&key(1), &key(7), &key(2), 100),
    );
    assert_ok(&out);
    assert_eq!(acc(&out, &key(1)).lamports, min);
    assert_eq!(acc(&out, &key(2)).lamports, 100);
    assert_eq!(state_of(&acc(&out, &key(1))), state_of(&accounts[0].1));
}

#[test]
fn withdraw_nonce_account_full_deinitializes() {
    let env = Env::new().with_blockhash(BH2);
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![(key(1), initialized(min, key(7), BH1)), (key(2), sys(0))];
    let out = env.run(
        &accounts,
        &sys::withdraw_nonce_account(&key(1), &key(7), &key(2), min),
    );
    assert_ok(&out);
    let a = acc(&out, &key(1));
    assert_eq!(a.lamports, 0);
    assert_eq!(state_of(&a), Versions::Current(State::Uninitialized));
    // Only the 8-byte state prefix is rewritten; the length stays.
    assert_eq!(a.data.len(), nonce::NONCE_STATE_SIZE);
    assert_eq!(&a.data[..8], &[1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(&a.data[8..], &accounts[0].1.data[8..]);
    // Withdrawing needs no recent blockhashes.
    let mut empty = Env::new();
    empty.set_blockhashes(&[]);
    assert_ok(&empty.run(
        &accounts,
        &sys::withdraw_nonce_account(&key(1), &key(7), &key(2), min),
    ));
}

#[test]
fn withdraw_uninitialized_nonce_account_needs_its_own_signature() {
    let env = Env::new();
    let accounts = vec![
        (key(1), nonce_account(500, Versions::default())),
        (key(2), sys(0)),
    ];
    // The nonce account is its own authority while uninitialized.
    let out = env.run(
        &accounts,
        &sys::withdraw_nonce_account(&key(1), &key(1), &key(2), 500),
    );
    assert_ok(&out);
    assert_eq!(acc(&out, &key(2)).lamports, 500);
}

#[test]
fn withdraw_nonce_account_errors() {
    let env = Env::new().with_blockhash(BH2);
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![
        (key(1), initialized(min + 100, key(7), BH1)),
        (key(2), sys(0)),
    ];
    let ix = sys::withdraw_nonce_account(&key(1), &key(7), &key(2), 100);

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 2),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 3),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &with_key(ix.clone(), 2, ids::SYSVAR_RENT),
        InstructionError::InvalidArgument,
    );
    expect_err(
        &env,
        &accounts,
        &with_key(ix.clone(), 3, ids::SYSVAR_RECENT_BLOCKHASHES),
        InstructionError::InvalidArgument,
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, false),
        InstructionError::InvalidArgument,
    );
    let garbage = vec![
        (key(1), Account::with_data(min, vec![9; 80], &system::ID)),
        (key(2), sys(0)),
    ];
    expect_err(&env, &garbage, &ix, InstructionError::InvalidAccountData);
    // Uninitialized: more than the balance; not signed by the nonce account.
    let uninit = vec![
        (key(1), nonce_account(50, Versions::default())),
        (key(2), sys(0)),
    ];
    expect_err(
        &env,
        &uninit,
        &sys::withdraw_nonce_account(&key(1), &key(1), &key(2), 51),
        InstructionError::InsufficientFunds,
    );
    expect_err(
        &env,
        &uninit,
        &sys::withdraw_nonce_account(&key(1), &key(7), &key(2), 50),
        InstructionError::MissingRequiredSignature,
    );
    // Initialized: would leave less than rent exemption; overflow counts as that.
    let logs = expect_err(
        &env,
        &accounts,
        &sys::withdraw_nonce_account(&key(1), &key(7), &key(2), 101),
        InstructionError::InsufficientFunds,
    );
    assert!(logged(
        &logs,
        &format!(
            "Withdraw nonce account: insufficient lamports {}, need {}",
            min + 100,
            min + 101
        )
    ));
    expect_err(
        &env,
        &accounts,
        &sys::withdraw_nonce_account(&key(1), &key(7), &key(2), u64::MAX - 1),
        InstructionError::InsufficientFunds,
    );
    // Initialized: everything, while the nonce is from the current blockhash.
    expect_err(
        &Env::new().with_blockhash(BH1),
        &accounts,
        &sys::withdraw_nonce_account(&key(1), &key(7), &key(2), min + 100),
        custom(SystemError::NonceBlockhashNotExpired),
    );
    // Initialized: the authority did not sign (partial and full).
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 4, false, false),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(
        &logs,
        &format!("Withdraw nonce account: Account {} must sign", key(7))
    ));
    expect_err(
        &env,
        &accounts,
        &with_meta(
            sys::withdraw_nonce_account(&key(1), &key(7), &key(2), min + 100),
            4,
            false,
            false,
        ),
        InstructionError::MissingRequiredSignature,
    );
    // Read-only recipient.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix, 1, false, false),
        InstructionError::ReadonlyLamportChange,
    );
}

// ---------------------------------------------------------------- AuthorizeNonceAccount

#[test]
fn authorize_nonce_account_keeps_version_and_nonce() {
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    for versions in [
        Versions::Current(State::Initialized(nonce_data(key(7), BH1))),
        Versions::Legacy(State::Initialized(nonce_data(key(7), BH1))),
    ] {
        let accounts = vec![(key(1), nonce_account(min, versions))];
        let out = env.run(
            &accounts,
            &sys::authorize_nonce_account(&key(1), &key(7), &key(8)),
        );
        assert_ok(&out);
        let expected_state = State::Initialized(nonce_data(key(8), BH1));
        let expected = match versions {
            Versions::Legacy(_) => Versions::Legacy(expected_state),
            Versions::Current(_) => Versions::Current(expected_state),
        };
        assert_eq!(state_of(&acc(&out, &key(1))), expected);
    }
}

#[test]
fn authorize_nonce_account_errors() {
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![(key(1), initialized(min, key(7), BH1))];
    let ix = sys::authorize_nonce_account(&key(1), &key(7), &key(8));

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, false),
        InstructionError::InvalidArgument,
    );
    let uninit = vec![(key(1), nonce_account(min, Versions::default()))];
    expect_err(&env, &uninit, &ix, InstructionError::InvalidAccountData);
    let no_data = vec![(key(1), sys(min))];
    expect_err(&env, &no_data, &ix, InstructionError::InvalidAccountData);
    let logs = expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 1, false, false),
        InstructionError::MissingRequiredSignature,
    );
    assert!(logged(
        &logs,
        &format!("Authorize nonce account: Account {} must sign", key(7))
    ));
    let mut foreign_acc = initialized(min, key(7), BH1);
    foreign_acc.owner = key(5);
    expect_err(
        &env,
        &[(key(1), foreign_acc)],
        &ix,
        InstructionError::ExternalAccountDataModified,
    );
}

// ---------------------------------------------------------------- UpgradeNonceAccount

#[test]
fn upgrade_nonce_account_rehashes_legacy_nonce() {
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let legacy_data = nonce::Data::new(key(7), BH1, LPS);
    let accounts = vec![(
        key(1),
        nonce_account(min, Versions::Legacy(State::Initialized(legacy_data))),
    )];
    let out = env.run(&accounts, &sys::upgrade_nonce_account(&key(1)));
    assert_ok(&out);
    assert_eq!(
        state_of(&acc(&out, &key(1))),
        Versions::Current(State::Initialized(nonce_data(key(7), BH1)))
    );
}

#[test]
fn upgrade_nonce_account_errors() {
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let legacy = nonce_account(
        min,
        Versions::Legacy(State::Initialized(nonce::Data::new(key(7), BH1, LPS))),
    );
    let accounts = vec![(key(1), legacy.clone())];
    let ix = sys::upgrade_nonce_account(&key(1));

    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 0),
        InstructionError::NotEnoughAccountKeys,
    );
    let mut foreign_acc = legacy.clone();
    foreign_acc.owner = key(5);
    expect_err(
        &env,
        &[(key(1), foreign_acc)],
        &ix,
        InstructionError::InvalidAccountOwner,
    );
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, false),
        InstructionError::InvalidArgument,
    );
    let garbage = vec![(key(1), Account::with_data(min, vec![5; 80], &system::ID))];
    expect_err(&env, &garbage, &ix, InstructionError::InvalidAccountData);
    // Nothing to upgrade.
    let current = vec![(key(1), initialized(min, key(7), BH1))];
    expect_err(&env, &current, &ix, InstructionError::InvalidArgument);
    let legacy_uninit = vec![(
        key(1),
        nonce_account(min, Versions::Legacy(State::Uninitialized)),
    )];
    expect_err(&env, &legacy_uninit, &ix, InstructionError::InvalidArgument);
}

// ---------------------------------------------------------------- misc

#[test]
fn instruction_round_trips_through_the_program() {
    // An instruction built from the enum runs like the builder's.
    let env = Env::new();
    let accounts = vec![(key(1), sys(10)), (key(2), sys(0))];
    let ix = SystemInstruction::Transfer(Transfer { lamports: 4 })
        .into_instruction(sys::transfer(&key(1), &key(2), 0).accounts);
    assert_eq!(ix, sys::transfer(&key(1), &key(2), 4));
    let out = env.run(&accounts, &ix);
    assert_ok(&out);
    assert_eq!(acc(&out, &key(2)).lamports, 4);
}
