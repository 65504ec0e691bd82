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

// ----- CreateAccountAllowPrefund (13, SIMD-0312; active in the target) -----

#[test]
fn create_account_allow_prefund_accepts_a_funded_account_and_tops_it_up() {
    let env = Env::new();
    let owner = key(50);
    // The new account already holds lamports: CreateAccount refuses it,
    // CreateAccountAllowPrefund allocates, assigns, then transfers.
    let accounts = vec![(key(2), sys(7)), (key(1), sys(1_000))];
    let ix = sys::create_account_allow_prefund(&key(2), Some((&key(1), 400)), 10, &owner);
    assert_eq!(ix.data[..4], 13u32.to_le_bytes());
    let out = env.run(&accounts, &ix);
    assert_ok(&out);
    assert_eq!(out.compute_units_consumed, DEFAULT_COMPUTE_UNITS);
    assert_eq!(acc(&out, &key(1)).lamports, 600);
    let new = acc(&out, &key(2));
    assert_eq!(
        (new.lamports, new.data, new.owner),
        (407, vec![0; 10], owner)
    );
    // Without lamports the funding account may be left out.
    let alone = vec![(key(2), sys(7))];
    let ix = sys::create_account_allow_prefund(&key(2), None, 3, &owner);
    assert_eq!(ix.accounts.len(), 1);
    let out = env.run(&alone, &ix);
    assert_ok(&out);
    assert_eq!(acc(&out, &key(2)), Account::new(7, 3, &owner));
}

#[test]
fn create_account_allow_prefund_errors() {
    let env = Env::new();
    let owner = key(50);
    let accounts = vec![(key(2), sys(7)), (key(1), sys(1_000))];
    let ix = sys::create_account_allow_prefund(&key(2), Some((&key(1), 400)), 10, &owner);
    // lamports > 0 needs the funding account.
    expect_err(
        &env,
        &accounts,
        &truncated(ix.clone(), 1),
        InstructionError::MissingAccount,
    );
    // No account at all, even without lamports.
    let none = sys::create_account_allow_prefund(&key(2), None, 10, &owner);
    expect_err(
        &env,
        &accounts,
        &truncated(none, 0),
        InstructionError::MissingAccount,
    );
    // The new account must sign (allocate), before any transfer.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 0, false, true),
        InstructionError::MissingRequiredSignature,
    );
    // In use: data, or another owner.
    let with_data = vec![
        (key(2), Account::new(7, 1, &ids::SYSTEM_PROGRAM)),
        (key(1), sys(1_000)),
    ];
    expect_err(
        &env,
        &with_data,
        &ix,
        custom(SystemError::AccountAlreadyInUse),
    );
    let foreign = vec![(key(2), Account::new(7, 0, &key(66))), (key(1), sys(1_000))];
    expect_err(
        &env,
        &foreign,
        &ix,
        custom(SystemError::AccountAlreadyInUse),
    );
    // Too large.
    let big = sys::create_account_allow_prefund(
        &key(2),
        Some((&key(1), 400)),
        MAX_PERMITTED_DATA_LENGTH as u64 + 1,
        &owner,
    );
    expect_err(
        &env,
        &accounts,
        &big,
        custom(SystemError::InvalidAccountDataLength),
    );
    // The transfer's errors: the payer must sign and hold enough.
    expect_err(
        &env,
        &accounts,
        &with_meta(ix.clone(), 1, false, true),
        InstructionError::MissingRequiredSignature,
    );
    let short = vec![(key(2), sys(7)), (key(1), sys(399))];
    expect_err(
        &env,
        &short,
        &ix,
        custom(SystemError::ResultWithNegativeLamports),
    );
}

#[test]
fn create_account_allow_prefund_matches_solana_system_interface() {
    use solana_system_interface::instruction as sol;
    let (to, payer, owner) = (key(2), key(1), key(50));
    let sp = |k: &baton_types::Pubkey| solana_pubkey::Pubkey::new_from_array(k.to_bytes());
    for payer_and_lamports in [None, Some((&payer, 400))] {
        let ours = sys::create_account_allow_prefund(&to, payer_and_lamports, 10, &owner);
        let theirs = sol::create_account_allow_prefund(
            &sp(&to),
            payer_and_lamports
                .map(|(p, l)| (sp(p), l))
                .as_ref()
                .map(|(p, l)| (p, *l)),
            10,
            &sp(&owner),
        );
        assert_eq!(ours.data, theirs.data);
        let metas: Vec<_> = theirs
            .accounts
            .iter()
            .map(|m| (m.pubkey.to_bytes(), m.is_signer, m.is_writable))
            .collect();
        let ours_metas: Vec<_> = ours
            .accounts
            .iter()
            .map(|m| (m.pubkey.to_bytes(), m.is_signer, m.is_writable))
            .collect();
        assert_eq!(ours_metas, metas);
        assert_eq!(
            SystemInstruction::decode(&theirs.data),
            Ok(SystemInstruction::CreateAccountAllowPrefund(
                system::CreateAccountAllowPrefund {
                    lamports: payer_and_lamports.map_or(0, |(_, l)| l),
                    space: 10,
                    owner,
                }
            ))
        );
    }
}
