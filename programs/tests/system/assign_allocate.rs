//! Assign and Allocate: success paths and errors.

use super::*;

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
        InstructionError::MissingAccount,
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
        InstructionError::MissingAccount,
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
