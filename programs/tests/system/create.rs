//! CreateAccount: success paths and errors.

use super::*;

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
        InstructionError::MissingAccount,
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
