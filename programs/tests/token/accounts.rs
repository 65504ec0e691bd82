//! CloseAccount, FreezeAccount / ThawAccount, native mints and the state
//! layouts.

use super::*;

#[test]
fn close_account_pays_out_and_deletes() {
    let env = Env::new();
    let w = with(world(), MALLORY, system_account(7));
    let b_lamports = w[2].1.lamports;
    let out = ok(&env, &w, &tok::close_account(&B, &MALLORY, &BOB));
    assert_eq!(get(&out, &MALLORY).lamports, 7 + b_lamports);
    assert_eq!(
        get(&out, &B),
        Account {
            owner: ids::SYSTEM_PROGRAM,
            ..Account::default()
        }
    );
    assert_eq!(out.compute_units_consumed, token::CloseAccount::UNITS);
    // A close authority closes instead of the owner.
    let w = ok(
        &env,
        &w,
        &tok::set_authority(&B, Some(&C), AuthorityType::CloseAccount, &BOB),
    )
    .accounts;
    fails(
        &w,
        &tok::close_account(&B, &MALLORY, &BOB),
        TokenError::OwnerMismatch,
    );
    ok(&env, &w, &tok::close_account(&B, &MALLORY, &C));
}

#[test]
fn close_account_errors() {
    let w = with(world(), MALLORY, system_account(7));
    fails(
        &w,
        &tok::close_account(&A, &MALLORY, &ALICE),
        TokenError::NonNativeHasBalance,
    );
    fails(
        &w,
        &tok::close_account(&B, &B, &BOB),
        InstructionError::InvalidAccountData,
    );
    fails(
        &w,
        &unsigned(tok::close_account(&B, &MALLORY, &BOB), 2),
        InstructionError::MissingRequiredSignature,
    );
    fails(
        &w,
        &tok::close_account(&B, &MALLORY, &ALICE),
        TokenError::OwnerMismatch,
    );
    fails(
        &w,
        &readonly(tok::close_account(&B, &MALLORY, &BOB), 1),
        InstructionError::ReadonlyLamportChange,
    );
    fails(
        &with(w.clone(), C, blank(TokenAccount::LEN)),
        &tok::close_account(&C, &MALLORY, &BOB),
        InstructionError::UninitializedAccount,
    );
    // A system-owned token account closes only into the incinerator.
    let w2 = with(
        w,
        C,
        token_account(&TokenAccount::initialized(MINT, ids::SYSTEM_PROGRAM, 0)),
    );
    fails(
        &w2,
        &unsigned(tok::close_account(&C, &MALLORY, &MALLORY), 2),
        InstructionError::InvalidAccountData,
    );
    let out = ok(
        &Env::new(),
        &w2,
        &unsigned(tok::close_account(&C, &INCINERATOR, &MALLORY), 2),
    );
    assert_eq!(get(&out, &C).lamports, 0);
}

// ---------------------------------------------------------------- Freeze / Thaw

#[test]
fn freeze_and_thaw() {
    let env = Env::new();
    let out = ok(
        &env,
        &world(),
        &tok::freeze_account(&A, &MINT, &FREEZE_AUTH),
    );
    assert_eq!(tokens(&out, &A).state, AccountState::Frozen);
    assert_eq!(out.compute_units_consumed, token::FreezeAccount::UNITS);
    let frozen = out.accounts;
    fails(
        &frozen,
        &tok::freeze_account(&A, &MINT, &FREEZE_AUTH),
        TokenError::InvalidState,
    );
    fails(
        &frozen,
        &tok::transfer(&A, &B, &ALICE, 1),
        TokenError::AccountFrozen,
    );
    fails(
        &frozen,
        &tok::transfer(&B, &A, &BOB, 0),
        TokenError::AccountFrozen,
    );
    fails(
        &frozen,
        &tok::thaw_account(&A, &MINT, &ALICE),
        TokenError::OwnerMismatch,
    );
    let out = ok(&env, &frozen, &tok::thaw_account(&A, &MINT, &FREEZE_AUTH));
    assert_eq!(tokens(&out, &A).state, AccountState::Initialized);
    assert_eq!(out.accounts, world());
    fails(
        &world(),
        &tok::thaw_account(&A, &MINT, &FREEZE_AUTH),
        TokenError::InvalidState,
    );
}

#[test]
fn freeze_errors() {
    let w = world();
    fails(
        &w,
        &unsigned(tok::freeze_account(&A, &MINT, &FREEZE_AUTH), 2),
        InstructionError::MissingRequiredSignature,
    );
    let w2 = with(
        w.clone(),
        MINT2,
        mint_account(&mint_state(0, Some(FREEZE_AUTH))),
    );
    fails(
        &w2,
        &tok::freeze_account(&A, &MINT2, &FREEZE_AUTH),
        TokenError::MintMismatch,
    );
    let w3 = with(w, MINT, mint_account(&mint_state(1_000, None)));
    fails(
        &w3,
        &tok::freeze_account(&A, &MINT, &FREEZE_AUTH),
        TokenError::MintCannotFreeze,
    );
}

// ---------------------------------------------------------------- native

#[test]
fn native_accounts_move_lamports_with_tokens() {
    let env = Env::new();
    let reserve = rent().minimum_balance(TokenAccount::LEN);
    let native = |owner, amount| {
        let mut t = TokenAccount::initialized(NATIVE_MINT, owner, amount);
        t.is_native = Some(reserve);
        let mut acc = token_account(&t);
        acc.lamports = reserve + amount;
        acc
    };
    let w = vec![(A, native(ALICE, 900)), (B, native(BOB, 100))];
    let out = ok(&env, &w, &tok::transfer(&A, &B, &ALICE, 400));
    assert_eq!(get(&out, &A).lamports, reserve + 500);
    assert_eq!(get(&out, &B).lamports, reserve + 500);
    assert_eq!(tokens(&out, &B).amount, 500);
    let wm = with(w.clone(), NATIVE_MINT, mint_account(&mint_state(0, None)));
    fails(
        &wm,
        &tok::burn(&A, &NATIVE_MINT, &ALICE, 1),
        TokenError::NativeNotSupported,
    );
    // A native account with a balance may be closed.
    let out = ok(&env, &w, &tok::close_account(&A, &B, &ALICE));
    assert_eq!(get(&out, &B).lamports, 2 * reserve + 1_000);
}

// ---------------------------------------------------------------- state

#[test]
fn state_unpack_validates_like_spl() {
    let mint = mint_state(5, Some(FREEZE_AUTH));
    assert_eq!(Mint::unpack(&mint.to_bytes()), Ok(mint));
    assert_eq!(
        Mint::unpack(&[0; Mint::LEN]),
        Err(InstructionError::UninitializedAccount)
    );
    assert_eq!(Mint::unpack_unchecked(&[0; Mint::LEN]), Ok(Mint::default()));
    assert_eq!(
        Mint::unpack(&[0; 81]),
        Err(InstructionError::InvalidAccountData)
    );
    let mut bad = mint.to_bytes();
    bad[0] = 2;
    assert_eq!(
        Mint::unpack(&bad),
        Err(InstructionError::InvalidAccountData)
    );
    let mut buf = [0u8; 83];
    assert_eq!(
        mint.pack(&mut buf),
        Err(InstructionError::InvalidAccountData)
    );

    let acc = TokenAccount {
        delegate: Some(DELEGATE),
        delegated_amount: 3,
        is_native: Some(9),
        close_authority: Some(C),
        state: AccountState::Frozen,
        ..TokenAccount::initialized(MINT, ALICE, 77)
    };
    assert_eq!(TokenAccount::unpack(&acc.to_bytes()), Ok(acc));
    assert_eq!(
        TokenAccount::unpack(&[0; 165]),
        Err(InstructionError::UninitializedAccount)
    );
    let mut bad = acc.to_bytes();
    bad[108] = 3;
    assert_eq!(
        TokenAccount::unpack(&bad),
        Err(InstructionError::InvalidAccountData)
    );
    let mut bad = acc.to_bytes();
    bad[73] = 1;
    assert_eq!(
        TokenAccount::unpack(&bad),
        Err(InstructionError::InvalidAccountData)
    );
}

#[test]
fn token_error_codes() {
    for (i, e) in TokenError::ALL.iter().enumerate() {
        assert_eq!(e.code(), i as u32);
        assert_eq!(
            InstructionError::from(*e),
            InstructionError::Custom(i as u32)
        );
        assert_eq!(TokenError::from_instruction_error(&(*e).into()), Some(*e));
    }
    assert_eq!(TokenError::from_code(20), None);
}
