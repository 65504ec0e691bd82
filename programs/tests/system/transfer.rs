//! Transfer: success paths and errors.

use super::*;

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
        InstructionError::MissingAccount,
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
