//! MintTo and Burn (and their checked forms): success paths and errors.

use super::*;

#[test]
fn mint_to_grows_balance_and_supply() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::mint_to(&MINT, &B, &MINT_AUTH, 250));
    assert_eq!(tokens(&out, &B).amount, 250);
    assert_eq!(mint_of(&out, &MINT).supply, 1_250);
    let out = ok(
        &env,
        &world(),
        &tok::mint_to_checked(&MINT, &B, &MINT_AUTH, 5, DECIMALS),
    );
    assert_eq!(mint_of(&out, &MINT).supply, 1_005);
    assert_eq!(out.compute_units_consumed, token::MintToChecked::UNITS);
}

#[test]
fn mint_to_errors() {
    let w = world();
    let ix = tok::mint_to(&MINT, &B, &MINT_AUTH, 250);
    fails(
        &w,
        &unsigned(ix.clone(), 2),
        InstructionError::MissingRequiredSignature,
    );
    fails(
        &w,
        &tok::mint_to(&MINT, &B, &ALICE, 250),
        TokenError::OwnerMismatch,
    );
    let w2 = with(w.clone(), MINT2, mint_account(&mint_state(0, None)));
    fails(
        &w2,
        &tok::mint_to(&MINT2, &B, &MINT_AUTH, 1),
        TokenError::MintMismatch,
    );
    fails(
        &w,
        &tok::mint_to(&MINT, &B, &MINT_AUTH, u64::MAX),
        TokenError::Overflow,
    );
    let mut frozen = TokenAccount::initialized(MINT, BOB, 0);
    frozen.state = AccountState::Frozen;
    fails(
        &with(w.clone(), B, token_account(&frozen)),
        &ix,
        TokenError::AccountFrozen,
    );
    fails(
        &w,
        &tok::mint_to_checked(&MINT, &B, &MINT_AUTH, 1, 0),
        TokenError::MintDecimalsMismatch,
    );
    fails(
        &w,
        &readonly(ix.clone(), 0),
        InstructionError::ReadonlyDataModified,
    );
    let mut native = TokenAccount::initialized(NATIVE_MINT, BOB, 0);
    native.is_native = Some(1);
    fails(
        &with(w, B, token_account(&native)),
        &ix,
        TokenError::NativeNotSupported,
    );
}

// ---------------------------------------------------------------- Burn

#[test]
fn burn_shrinks_balance_and_supply() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::burn(&A, &MINT, &ALICE, 300));
    assert_eq!(tokens(&out, &A).amount, 700);
    assert_eq!(mint_of(&out, &MINT).supply, 700);
    let out = ok(
        &env,
        &world(),
        &tok::burn_checked(&A, &MINT, &ALICE, 1_000, DECIMALS),
    );
    assert_eq!(tokens(&out, &A).amount, 0);
    assert_eq!(mint_of(&out, &MINT).supply, 0);
    assert_eq!(out.compute_units_consumed, token::BurnChecked::UNITS);
}

#[test]
fn burn_errors() {
    let w = world();
    fails(
        &w,
        &tok::burn(&A, &MINT, &ALICE, 1_001),
        TokenError::InsufficientFunds,
    );
    fails(
        &w,
        &tok::burn(&A, &MINT, &BOB, 1),
        TokenError::OwnerMismatch,
    );
    fails(
        &w,
        &unsigned(tok::burn(&A, &MINT, &ALICE, 1), 2),
        InstructionError::MissingRequiredSignature,
    );
    let w2 = with(w.clone(), MINT2, mint_account(&mint_state(0, None)));
    fails(
        &w2,
        &tok::burn(&A, &MINT2, &ALICE, 1),
        TokenError::MintMismatch,
    );
    fails(
        &w,
        &tok::burn_checked(&A, &MINT, &ALICE, 1, 9),
        TokenError::MintDecimalsMismatch,
    );
    let mut frozen = TokenAccount::initialized(MINT, ALICE, 1_000);
    frozen.state = AccountState::Frozen;
    fails(
        &with(w.clone(), A, token_account(&frozen)),
        &tok::burn(&A, &MINT, &ALICE, 1),
        TokenError::AccountFrozen,
    );
    fails(
        &with(w, MINT, blank(Mint::LEN)),
        &tok::burn(&A, &MINT, &ALICE, 1),
        InstructionError::UninitializedAccount,
    );
}

#[test]
fn delegate_burns_from_the_allowance() {
    let env = Env::new();
    let w = ok(&env, &world(), &tok::approve(&A, &DELEGATE, &ALICE, 100)).accounts;
    fails(
        &w,
        &tok::burn(&A, &MINT, &DELEGATE, 101),
        TokenError::InsufficientFunds,
    );
    let out = ok(&env, &w, &tok::burn(&A, &MINT, &DELEGATE, 100));
    let a = tokens(&out, &A);
    assert_eq!((a.amount, a.delegate, a.delegated_amount), (900, None, 0));
    assert_eq!(mint_of(&out, &MINT).supply, 900);
}

#[test]
fn anyone_may_burn_from_an_incinerator_owned_account() {
    let env = Env::new();
    let w = with(
        world(),
        C,
        token_account(&TokenAccount::initialized(MINT, INCINERATOR, 10)),
    );
    let ix = unsigned(tok::burn(&C, &MINT, &MALLORY, 10), 2);
    let out = ok(&env, &w, &ix);
    assert_eq!(tokens(&out, &C).amount, 0);
}
