//! The seeded instructions: CreateAccountWithSeed, AllocateWithSeed,
//! AssignWithSeed and TransferWithSeed.

use super::*;

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
        InstructionError::MissingAccount,
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
        InstructionError::Custom(0), // PubkeyError::MaxSeedLengthExceeded
    );
    expect_err(
        &env,
        &accounts,
        &sys::create_account_with_seed(&key(1), &to, &base, "seed", 50, 2, &pda_marker_owner()),
        InstructionError::Custom(2), // PubkeyError::IllegalOwner
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
        InstructionError::MissingAccount,
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
        InstructionError::Custom(0), // PubkeyError::MaxSeedLengthExceeded
    );
    expect_err(
        &env,
        &accounts,
        &sys::allocate_with_seed(&addr, &base, "a", 12, &pda_marker_owner()),
        InstructionError::Custom(2), // PubkeyError::IllegalOwner
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
        InstructionError::MissingAccount,
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
        InstructionError::Custom(0), // PubkeyError::MaxSeedLengthExceeded
    );
    expect_err(
        &env,
        &accounts,
        &sys::assign_with_seed(&addr, &base, "z", &pda_marker_owner()),
        InstructionError::Custom(2), // PubkeyError::IllegalOwner
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
        InstructionError::MissingAccount,
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
        InstructionError::Custom(0), // PubkeyError::MaxSeedLengthExceeded
    );
    expect_err(
        &env,
        &accounts,
        &sys::transfer_with_seed(&from, &base, "t", &pda_marker_owner(), &key(4), 60),
        InstructionError::Custom(2), // PubkeyError::IllegalOwner
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
