//! Durable nonces: InitializeNonceAccount, AdvanceNonceAccount,
//! WithdrawNonceAccount, AuthorizeNonceAccount and UpgradeNonceAccount.

use super::*;

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
        InstructionError::MissingAccount,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::MissingAccount,
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
        InstructionError::MissingAccount,
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
        InstructionError::MissingAccount,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::MissingAccount,
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
        InstructionError::MissingAccount,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 2),
        InstructionError::MissingAccount,
    );
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 3),
        InstructionError::MissingAccount,
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
        InstructionError::MissingAccount,
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
        InstructionError::MissingAccount,
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
