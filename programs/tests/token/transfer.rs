//! Transfer and TransferChecked: success paths and errors.

use super::*;

#[test]
fn transfer_moves_tokens() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::transfer(&A, &B, &ALICE, 400));
    assert_eq!(tokens(&out, &A).amount, 600);
    assert_eq!(tokens(&out, &B).amount, 400);
    assert_eq!(mint_of(&out, &MINT).supply, 1_000);
    // Lamports untouched for non-native accounts.
    assert_eq!(get(&out, &A).lamports, world()[1].1.lamports);
}

#[test]
fn transfer_errors() {
    let w = world();
    let ix = tok::transfer(&A, &B, &ALICE, 400);
    fails(
        &w,
        &unsigned(ix.clone(), 2),
        InstructionError::MissingRequiredSignature,
    );
    fails(
        &w,
        &tok::transfer(&A, &B, &BOB, 400),
        TokenError::OwnerMismatch,
    );
    fails(
        &w,
        &tok::transfer(&A, &B, &ALICE, 1_001),
        TokenError::InsufficientFunds,
    );
    let other = with(
        w.clone(),
        B,
        token_account(&TokenAccount::initialized(MINT2, BOB, 0)),
    );
    fails(&other, &ix, TokenError::MintMismatch);
    let uninit = with(w.clone(), B, blank(TokenAccount::LEN));
    fails(&uninit, &ix, InstructionError::UninitializedAccount);
    let not_token = with(w.clone(), B, mint_account(&mint_state(0, None)));
    fails(&not_token, &ix, InstructionError::InvalidAccountData);
    let mut frozen = TokenAccount::initialized(MINT, BOB, 0);
    frozen.state = AccountState::Frozen;
    fails(
        &with(w.clone(), B, token_account(&frozen)),
        &ix,
        TokenError::AccountFrozen,
    );
    let mut frozen = TokenAccount::initialized(MINT, ALICE, 1_000);
    frozen.state = AccountState::Frozen;
    fails(
        &with(w.clone(), A, token_account(&frozen)),
        &ix,
        TokenError::AccountFrozen,
    );
    fails(
        &w,
        &readonly(ix.clone(), 1),
        InstructionError::ReadonlyDataModified,
    );
    let mut short = ix;
    short.accounts.truncate(2);
    fails(&w, &short, InstructionError::NotEnoughAccountKeys);
}

#[test]
fn checks_run_in_spl_order() {
    // Frozen beats insufficient funds, which beats a mint mismatch, which
    // beats a missing signature.
    let mut frozen = TokenAccount::initialized(MINT2, BOB, 0);
    frozen.state = AccountState::Frozen;
    let w = with(world(), B, token_account(&frozen));
    fails(
        &w,
        &unsigned(tok::transfer(&A, &B, &MALLORY, 5_000), 2),
        TokenError::AccountFrozen,
    );
    let w = with(
        world(),
        B,
        token_account(&TokenAccount::initialized(MINT2, BOB, 0)),
    );
    fails(
        &w,
        &unsigned(tok::transfer(&A, &B, &MALLORY, 5_000), 2),
        TokenError::InsufficientFunds,
    );
    fails(
        &w,
        &unsigned(tok::transfer(&A, &B, &MALLORY, 5), 2),
        TokenError::MintMismatch,
    );
    fails(
        &world(),
        &unsigned(tok::transfer(&A, &B, &MALLORY, 5), 2),
        TokenError::OwnerMismatch,
    );
}

#[test]
fn delegate_transfer_spends_the_allowance() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::approve(&A, &DELEGATE, &ALICE, 300));
    let w = out.accounts;
    let out = ok(&env, &w, &tok::transfer(&A, &B, &DELEGATE, 100));
    let a = tokens(&out, &A);
    assert_eq!(
        (a.amount, a.delegate, a.delegated_amount),
        (900, Some(DELEGATE), 200)
    );
    // Over the allowance.
    fails(
        &out.accounts,
        &tok::transfer(&A, &B, &DELEGATE, 201),
        TokenError::InsufficientFunds,
    );
    // Delegate must sign.
    fails(
        &out.accounts,
        &unsigned(tok::transfer(&A, &B, &DELEGATE, 1), 2),
        InstructionError::MissingRequiredSignature,
    );
    // Spending all of it clears the delegate.
    let out = ok(&env, &out.accounts, &tok::transfer(&A, &B, &DELEGATE, 200));
    let a = tokens(&out, &A);
    assert_eq!((a.amount, a.delegate, a.delegated_amount), (700, None, 0));
    assert_eq!(tokens(&out, &B).amount, 300);
    // The owner can still transfer.
    ok(&env, &out.accounts, &tok::transfer(&A, &B, &ALICE, 700));
}

#[test]
fn self_transfer_is_validated_then_changes_nothing() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::transfer(&A, &A, &ALICE, 10));
    assert_eq!(out.accounts, world());
    fails(
        &world(),
        &tok::transfer(&A, &A, &ALICE, 1_001),
        TokenError::InsufficientFunds,
    );
    fails(
        &world(),
        &unsigned(tok::transfer(&A, &A, &ALICE, 1), 2),
        InstructionError::MissingRequiredSignature,
    );
    // A delegate's self-transfer keeps its allowance.
    let w = ok(&env, &world(), &tok::approve(&A, &DELEGATE, &ALICE, 50)).accounts;
    let out = ok(&env, &w, &tok::transfer(&A, &A, &DELEGATE, 50));
    assert_eq!(tokens(&out, &A).delegated_amount, 50);
    // A self-transfer on an account the token program does not own.
    let mut foreign = token_account(&TokenAccount::initialized(MINT, ALICE, 1_000));
    foreign.owner = MALLORY;
    fails(
        &with(world(), A, foreign),
        &tok::transfer(&A, &A, &ALICE, 1),
        InstructionError::IncorrectProgramId,
    );
}

#[test]
fn zero_transfer_checks_program_ownership() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::transfer(&A, &B, &ALICE, 0));
    assert_eq!(out.accounts, world());
    let mut foreign = token_account(&TokenAccount::initialized(MINT, BOB, 0));
    foreign.owner = MALLORY;
    fails(
        &with(world(), B, foreign.clone()),
        &tok::transfer(&A, &B, &ALICE, 0),
        InstructionError::IncorrectProgramId,
    );
    // A non-zero transfer reaches the write, which the executor refuses.
    fails(
        &with(world(), B, foreign),
        &tok::transfer(&A, &B, &ALICE, 1),
        InstructionError::ExternalAccountDataModified,
    );
}

#[test]
fn transfer_checked_checks_mint_and_decimals() {
    let env = Env::new();
    let out = ok(
        &env,
        &world(),
        &tok::transfer_checked(&A, &MINT, &B, &ALICE, 10, DECIMALS),
    );
    assert_eq!(tokens(&out, &B).amount, 10);
    assert_eq!(out.compute_units_consumed, token::TransferChecked::UNITS);
    fails(
        &world(),
        &tok::transfer_checked(&A, &MINT, &B, &ALICE, 10, DECIMALS + 1),
        TokenError::MintDecimalsMismatch,
    );
    let w = with(world(), MINT2, mint_account(&mint_state(0, None)));
    fails(
        &w,
        &tok::transfer_checked(&A, &MINT2, &B, &ALICE, 10, DECIMALS),
        TokenError::MintMismatch,
    );
    let w = with(world(), MINT, blank(Mint::LEN));
    fails(
        &w,
        &tok::transfer_checked(&A, &MINT, &B, &ALICE, 10, DECIMALS),
        InstructionError::UninitializedAccount,
    );
}
