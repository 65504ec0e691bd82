//! Approve, Revoke and SetAuthority: delegates and authorities.

use super::*;

#[test]
fn approve_and_revoke() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::approve(&A, &DELEGATE, &ALICE, 300));
    let a = tokens(&out, &A);
    assert_eq!((a.delegate, a.delegated_amount), (Some(DELEGATE), 300));
    assert_eq!(out.compute_units_consumed, token::Approve::UNITS);
    // A new approval replaces the old one.
    let out = ok(
        &env,
        &out.accounts,
        &tok::approve_checked(&A, &MINT, &BOB, &ALICE, 5, DECIMALS),
    );
    let a = tokens(&out, &A);
    assert_eq!((a.delegate, a.delegated_amount), (Some(BOB), 5));
    let out = ok(&env, &out.accounts, &tok::revoke(&A, &ALICE));
    let a = tokens(&out, &A);
    assert_eq!((a.delegate, a.delegated_amount), (None, 0));
    assert_eq!(out.compute_units_consumed, token::Revoke::UNITS);
}

#[test]
fn approve_and_revoke_errors() {
    let w = world();
    fails(
        &w,
        &tok::approve(&A, &DELEGATE, &BOB, 1),
        TokenError::OwnerMismatch,
    );
    fails(
        &w,
        &unsigned(tok::approve(&A, &DELEGATE, &ALICE, 1), 2),
        InstructionError::MissingRequiredSignature,
    );
    fails(
        &w,
        &tok::approve_checked(&A, &MINT, &DELEGATE, &ALICE, 1, 0),
        TokenError::MintDecimalsMismatch,
    );
    let w2 = with(w.clone(), MINT2, mint_account(&mint_state(0, None)));
    fails(
        &w2,
        &tok::approve_checked(&A, &MINT2, &DELEGATE, &ALICE, 1, DECIMALS),
        TokenError::MintMismatch,
    );
    let mut frozen = TokenAccount::initialized(MINT, ALICE, 1_000);
    frozen.state = AccountState::Frozen;
    let wf = with(w.clone(), A, token_account(&frozen));
    fails(
        &wf,
        &tok::approve(&A, &DELEGATE, &ALICE, 1),
        TokenError::AccountFrozen,
    );
    fails(&wf, &tok::revoke(&A, &ALICE), TokenError::AccountFrozen);
    // Only the owner revokes.
    let env = Env::new();
    let approved = ok(&env, &w, &tok::approve(&A, &DELEGATE, &ALICE, 1)).accounts;
    fails(
        &approved,
        &tok::revoke(&A, &DELEGATE),
        TokenError::OwnerMismatch,
    );
    fails(
        &approved,
        &unsigned(tok::revoke(&A, &ALICE), 1),
        InstructionError::MissingRequiredSignature,
    );
    // Revoke reads the source before it looks for the owner.
    let mut short = tok::revoke(&C, &ALICE);
    short.accounts.truncate(1);
    fails(
        &with(w.clone(), C, blank(TokenAccount::LEN)),
        &short,
        InstructionError::UninitializedAccount,
    );
    short.accounts[0].pubkey = A;
    fails(&w, &short, InstructionError::NotEnoughAccountKeys);
}

// ---------------------------------------------------------------- SetAuthority

#[test]
fn removing_the_mint_authority_fixes_the_supply() {
    let env = Env::new();
    let out = ok(
        &env,
        &world(),
        &tok::set_authority(&MINT, None, AuthorityType::MintTokens, &MINT_AUTH),
    );
    assert_eq!(mint_of(&out, &MINT).mint_authority, None);
    assert_eq!(out.compute_units_consumed, token::SetAuthority::UNITS);
    let w = out.accounts;
    fails(
        &w,
        &tok::mint_to(&MINT, &B, &MINT_AUTH, 1),
        TokenError::FixedSupply,
    );
    fails(
        &w,
        &tok::set_authority(
            &MINT,
            Some(&MINT_AUTH),
            AuthorityType::MintTokens,
            &MINT_AUTH,
        ),
        TokenError::FixedSupply,
    );
    // Burning still works.
    ok(&env, &w, &tok::burn(&A, &MINT, &ALICE, 1));
}

#[test]
fn mint_authorities_change_hands() {
    let env = Env::new();
    let out = ok(
        &env,
        &world(),
        &tok::set_authority(&MINT, Some(&BOB), AuthorityType::MintTokens, &MINT_AUTH),
    );
    assert_eq!(mint_of(&out, &MINT).mint_authority, Some(BOB));
    fails(
        &out.accounts,
        &tok::mint_to(&MINT, &B, &MINT_AUTH, 1),
        TokenError::OwnerMismatch,
    );
    ok(&env, &out.accounts, &tok::mint_to(&MINT, &B, &BOB, 1));

    let out = ok(
        &env,
        &world(),
        &tok::set_authority(&MINT, None, AuthorityType::FreezeAccount, &FREEZE_AUTH),
    );
    assert_eq!(mint_of(&out, &MINT).freeze_authority, None);
    fails(
        &out.accounts,
        &tok::freeze_account(&A, &MINT, &FREEZE_AUTH),
        TokenError::MintCannotFreeze,
    );
    fails(
        &out.accounts,
        &tok::set_authority(
            &MINT,
            Some(&BOB),
            AuthorityType::FreezeAccount,
            &FREEZE_AUTH,
        ),
        TokenError::MintCannotFreeze,
    );
}

#[test]
fn account_authorities_change_hands() {
    let env = Env::new();
    let w = ok(&env, &world(), &tok::approve(&A, &DELEGATE, &ALICE, 10)).accounts;
    let out = ok(
        &env,
        &w,
        &tok::set_authority(&A, Some(&BOB), AuthorityType::AccountOwner, &ALICE),
    );
    let a = tokens(&out, &A);
    assert_eq!((a.owner, a.delegate, a.delegated_amount), (BOB, None, 0));
    fails(
        &out.accounts,
        &tok::transfer(&A, &B, &ALICE, 1),
        TokenError::OwnerMismatch,
    );
    ok(&env, &out.accounts, &tok::transfer(&A, &B, &BOB, 1));

    let out = ok(
        &env,
        &world(),
        &tok::set_authority(&A, Some(&C), AuthorityType::CloseAccount, &ALICE),
    );
    assert_eq!(tokens(&out, &A).close_authority, Some(C));
    // Now the close authority, not the owner, changes it.
    fails(
        &out.accounts,
        &tok::set_authority(&A, None, AuthorityType::CloseAccount, &ALICE),
        TokenError::OwnerMismatch,
    );
    let out = ok(
        &env,
        &out.accounts,
        &tok::set_authority(&A, None, AuthorityType::CloseAccount, &C),
    );
    assert_eq!(tokens(&out, &A).close_authority, None);
}

#[test]
fn set_authority_errors() {
    let w = world();
    fails(
        &w,
        &tok::set_authority(&A, None, AuthorityType::AccountOwner, &ALICE),
        TokenError::InvalidInstruction,
    );
    fails(
        &w,
        &tok::set_authority(&A, Some(&BOB), AuthorityType::MintTokens, &ALICE),
        TokenError::AuthorityTypeNotSupported,
    );
    fails(
        &w,
        &tok::set_authority(&MINT, Some(&BOB), AuthorityType::AccountOwner, &MINT_AUTH),
        TokenError::AuthorityTypeNotSupported,
    );
    fails(
        &w,
        &tok::set_authority(&A, Some(&BOB), AuthorityType::AccountOwner, &BOB),
        TokenError::OwnerMismatch,
    );
    fails(
        &w,
        &unsigned(
            tok::set_authority(&MINT, None, AuthorityType::MintTokens, &MINT_AUTH),
            1,
        ),
        InstructionError::MissingRequiredSignature,
    );
    let mut frozen = TokenAccount::initialized(MINT, ALICE, 1_000);
    frozen.state = AccountState::Frozen;
    fails(
        &with(w.clone(), A, token_account(&frozen)),
        &tok::set_authority(&A, Some(&BOB), AuthorityType::AccountOwner, &ALICE),
        TokenError::AccountFrozen,
    );
    fails(
        &with(w.clone(), C, blank(100)),
        &tok::set_authority(&C, None, AuthorityType::MintTokens, &ALICE),
        InstructionError::InvalidArgument,
    );
    fails(
        &with(w, C, blank(Mint::LEN)),
        &tok::set_authority(&C, None, AuthorityType::MintTokens, &ALICE),
        InstructionError::UninitializedAccount,
    );
}
