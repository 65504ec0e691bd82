//! InitializeMint(2) and InitializeAccount(2, 3): success paths and errors.

use super::*;

#[test]
fn initialize_mint2_writes_the_mint() {
    let env = Env::new();
    let accounts = vec![(MINT, blank(Mint::LEN))];
    let out = ok(
        &env,
        &accounts,
        &tok::initialize_mint2(&MINT, &MINT_AUTH, Some(&FREEZE_AUTH), 9),
    );
    assert_eq!(
        mint_of(&out, &MINT),
        Mint {
            mint_authority: Some(MINT_AUTH),
            supply: 0,
            decimals: 9,
            is_initialized: true,
            freeze_authority: Some(FREEZE_AUTH),
        }
    );
    assert_eq!(out.compute_units_consumed, token::InitializeMint2::UNITS);
}

#[test]
fn initialize_mint_needs_the_rent_sysvar() {
    let env = Env::new();
    let accounts = vec![(MINT, blank(Mint::LEN))];
    let ix = tok::initialize_mint(&MINT, &MINT_AUTH, None, 2);
    let out = ok(&env, &accounts, &ix);
    assert_eq!(mint_of(&out, &MINT).freeze_authority, None);
    assert_eq!(mint_of(&out, &MINT).decimals, 2);
    assert_eq!(out.compute_units_consumed, token::InitializeMint::UNITS);

    let mut wrong = ix.clone();
    wrong.accounts[1].pubkey = ids::SYSVAR_CLOCK;
    fails(&accounts, &wrong, InstructionError::InvalidArgument);
    let mut short = ix;
    short.accounts.truncate(1);
    fails(&accounts, &short, InstructionError::NotEnoughAccountKeys);
}

#[test]
fn initialize_mint_errors() {
    let ix = tok::initialize_mint2(&MINT, &MINT_AUTH, None, 2);
    // Already initialized.
    fails(&world(), &ix, TokenError::AlreadyInUse);
    // Not rent exempt.
    let mut poor = blank(Mint::LEN);
    poor.lamports -= 1;
    fails(&[(MINT, poor)], &ix, TokenError::NotRentExempt);
    // Wrong size.
    fails(
        &[(MINT, blank(Mint::LEN + 1))],
        &ix,
        InstructionError::InvalidAccountData,
    );
    // Invalid is_initialized byte.
    let mut bad = vec![0; Mint::LEN];
    bad[45] = 2;
    fails(
        &[(MINT, owned(bad))],
        &ix,
        InstructionError::InvalidAccountData,
    );
    // Not owned by the token program: the write is refused.
    let mut foreign = blank(Mint::LEN);
    foreign.owner = ids::SYSTEM_PROGRAM;
    fails(
        &[(MINT, foreign)],
        &ix,
        InstructionError::ExternalAccountDataModified,
    );
    // Read-only.
    fails(
        &[(MINT, blank(Mint::LEN))],
        &readonly(ix.clone(), 0),
        InstructionError::ReadonlyDataModified,
    );
    // No account.
    let mut none = ix;
    none.accounts.clear();
    fails(&[], &none, InstructionError::NotEnoughAccountKeys);
}

// ---------------------------------------------------------------- InitializeAccount

#[test]
fn initialize_account_variants_write_the_account() {
    let env = Env::new();
    let base = vec![
        (MINT, mint_account(&mint_state(0, None))),
        (C, blank(TokenAccount::LEN)),
    ];
    let expected = TokenAccount::initialized(MINT, BOB, 0);
    for (ix, units) in [
        (
            tok::initialize_account(&C, &MINT, &BOB),
            token::InitializeAccount::UNITS,
        ),
        (
            tok::initialize_account2(&C, &MINT, &BOB),
            token::InitializeAccount2::UNITS,
        ),
        (
            tok::initialize_account3(&C, &MINT, &BOB),
            token::InitializeAccount3::UNITS,
        ),
    ] {
        let out = ok(&env, &base, &ix);
        assert_eq!(tokens(&out, &C), expected);
        assert_eq!(out.compute_units_consumed, units);
    }
}

#[test]
fn initialize_account_errors() {
    let ix = tok::initialize_account3(&C, &MINT, &BOB);
    let base = vec![
        (MINT, mint_account(&mint_state(0, None))),
        (C, blank(TokenAccount::LEN)),
    ];
    // Already initialized.
    fails(
        &world(),
        &tok::initialize_account3(&A, &MINT, &BOB),
        TokenError::AlreadyInUse,
    );
    // Not rent exempt.
    let mut poor = blank(TokenAccount::LEN);
    poor.lamports -= 1;
    fails(&with(base.clone(), C, poor), &ix, TokenError::NotRentExempt);
    // Wrong size.
    fails(
        &with(base.clone(), C, blank(100)),
        &ix,
        InstructionError::InvalidAccountData,
    );
    // Mint not owned by the token program.
    let mut foreign = mint_account(&mint_state(0, None));
    foreign.owner = ids::SYSTEM_PROGRAM;
    fails(
        &with(base.clone(), MINT, foreign),
        &ix,
        InstructionError::IncorrectProgramId,
    );
    // Mint not initialized, or not a mint at all.
    fails(
        &with(base.clone(), MINT, blank(Mint::LEN)),
        &ix,
        TokenError::InvalidMint,
    );
    fails(
        &with(
            base.clone(),
            MINT,
            token_account(&TokenAccount::initialized(MINT2, ALICE, 0)),
        ),
        &ix,
        TokenError::InvalidMint,
    );
    // Rent sysvar missing or wrong for InitializeAccount.
    let mut wrong = tok::initialize_account(&C, &MINT, &BOB);
    wrong.accounts[3].pubkey = MALLORY;
    fails(&base, &wrong, InstructionError::InvalidArgument);
    wrong.accounts.truncate(3);
    fails(&base, &wrong, InstructionError::NotEnoughAccountKeys);
}

#[test]
fn initialize_native_account_records_the_reserve() {
    let env = Env::new();
    let reserve = rent().minimum_balance(TokenAccount::LEN);
    let mut wsol = blank(TokenAccount::LEN);
    wsol.lamports = reserve + 500;
    let out = ok(
        &env,
        &[(C, wsol)],
        &tok::initialize_account3(&C, &NATIVE_MINT, &ALICE),
    );
    let state = tokens(&out, &C);
    assert_eq!(state.amount, 500);
    assert_eq!(state.is_native, Some(reserve));
    assert_eq!(state.mint, NATIVE_MINT);
}
