//! The token program through `process_instruction`: every implemented
//! instruction's success path and its errors, with SPL Token's error values
//! and fixed compute units, no state change on failure; then a cross-check
//! against the `spl-token-interface` crate: instruction bytes and metas,
//! state layouts and error codes.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry, Rent,
    SysvarCache,
};
use baton_programs::token::instruction::{self as tok, TokenInstruction, UNSUPPORTED_TAGS};
use baton_programs::token::state::{AccountState, Mint, TokenAccount, INCINERATOR, NATIVE_MINT};
use baton_programs::token::{self, AuthorityType, TokenError, TokenProgram};
use baton_types::{ids, Account, AccountMeta, Instruction, InstructionError, Pubkey};

// ---------------------------------------------------------------- fixture

const MINT: Pubkey = Pubkey::new_from_array([1; 32]);
const MINT2: Pubkey = Pubkey::new_from_array([2; 32]);
const MINT_AUTH: Pubkey = Pubkey::new_from_array([3; 32]);
const FREEZE_AUTH: Pubkey = Pubkey::new_from_array([4; 32]);
const ALICE: Pubkey = Pubkey::new_from_array([10; 32]);
const BOB: Pubkey = Pubkey::new_from_array([11; 32]);
const DELEGATE: Pubkey = Pubkey::new_from_array([12; 32]);
const MALLORY: Pubkey = Pubkey::new_from_array([13; 32]);
const A: Pubkey = Pubkey::new_from_array([20; 32]);
const B: Pubkey = Pubkey::new_from_array([21; 32]);
const C: Pubkey = Pubkey::new_from_array([22; 32]);
const DECIMALS: u8 = 6;

struct Env {
    programs: ProgramRegistry,
    sysvars: SysvarCache,
    config: ExecutionConfig,
    budget: u64,
}

impl Env {
    fn new() -> Self {
        let mut programs = ProgramRegistry::new();
        programs.add(token::ID, Arc::new(TokenProgram));
        Self {
            programs,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
            budget: 200_000,
        }
    }

    fn run(&self, accounts: &[(Pubkey, Account)], ix: &Instruction) -> InstructionOutcome {
        process_instruction(
            accounts,
            ix,
            self.budget,
            Environment {
                programs: &self.programs,
                sysvars: &self.sysvars,
                config: &self.config,
            },
        )
    }
}

fn rent() -> Rent {
    SysvarCache::default().rent
}

fn owned(data: Vec<u8>) -> Account {
    Account {
        lamports: rent().minimum_balance(data.len()),
        data,
        owner: token::ID,
        executable: false,
        rent_epoch: 0,
    }
}

fn mint_state(supply: u64, freeze: Option<Pubkey>) -> Mint {
    Mint {
        mint_authority: Some(MINT_AUTH),
        supply,
        decimals: DECIMALS,
        is_initialized: true,
        freeze_authority: freeze,
    }
}

fn mint_account(mint: &Mint) -> Account {
    owned(mint.to_bytes().to_vec())
}

fn holding(mint: Pubkey, owner: Pubkey, amount: u64) -> TokenAccount {
    TokenAccount {
        mint,
        owner,
        amount,
        state: AccountState::Initialized,
        ..TokenAccount::default()
    }
}

fn token_account(account: &TokenAccount) -> Account {
    owned(account.to_bytes().to_vec())
}

fn system_account(lamports: u64) -> Account {
    Account {
        lamports,
        owner: ids::SYSTEM_PROGRAM,
        ..Account::default()
    }
}

/// A mint of 1,000 tokens with a freeze authority; Alice's account A holds
/// them all, Bob's account B is empty.
fn world() -> Vec<(Pubkey, Account)> {
    vec![
        (MINT, mint_account(&mint_state(1_000, Some(FREEZE_AUTH)))),
        (A, token_account(&holding(MINT, ALICE, 1_000))),
        (B, token_account(&holding(MINT, BOB, 0))),
    ]
}

/// `accounts` with the account at `key` replaced.
fn with(
    mut accounts: Vec<(Pubkey, Account)>,
    key: Pubkey,
    account: Account,
) -> Vec<(Pubkey, Account)> {
    match accounts.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = account,
        None => accounts.push((key, account)),
    }
    accounts
}

fn get(out: &InstructionOutcome, key: &Pubkey) -> Account {
    out.accounts
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, a)| a.clone())
        .unwrap()
}

fn tokens(out: &InstructionOutcome, key: &Pubkey) -> TokenAccount {
    TokenAccount::unpack(&get(out, key).data).unwrap()
}

fn mint_of(out: &InstructionOutcome, key: &Pubkey) -> Mint {
    Mint::unpack(&get(out, key).data).unwrap()
}

fn ok(env: &Env, accounts: &[(Pubkey, Account)], ix: &Instruction) -> InstructionOutcome {
    let out = env.run(accounts, ix);
    assert_eq!(out.result, Ok(()), "logs: {:?}", out.logs);
    out
}

/// The instruction fails with `err` and leaves every account as it was.
fn fails(accounts: &[(Pubkey, Account)], ix: &Instruction, err: impl Into<InstructionError>) {
    let out = Env::new().run(accounts, ix);
    assert_eq!(out.result, Err(err.into()), "logs: {:?}", out.logs);
    assert_eq!(out.accounts, accounts);
}

/// `ix` with account `i` no longer a signer.
fn unsigned(mut ix: Instruction, i: usize) -> Instruction {
    ix.accounts[i].is_signer = false;
    ix
}

/// `ix` with account `i` read-only.
fn readonly(mut ix: Instruction, i: usize) -> Instruction {
    ix.accounts[i].is_writable = false;
    ix
}

// ---------------------------------------------------------------- decoding

#[test]
fn malformed_data_is_custom_invalid_instruction() {
    let good = tok::transfer(&A, &B, &ALICE, 1);
    for data in [
        vec![],
        vec![3, 1, 0, 0],
        vec![12, 1, 0, 0, 0, 0, 0, 0, 0],
        vec![0, 6],
        vec![0, 6, 0, 0],
        vec![20, 6].into_iter().chain([7; 32]).chain([2]).collect(),
        vec![6, 4, 0],
        vec![6, 0, 1, 5],
        vec![18, 1, 2, 3],
        vec![99],
        vec![25],
    ] {
        let ix = Instruction {
            data,
            ..good.clone()
        };
        fails(&world(), &ix, TokenError::InvalidInstruction);
    }
}

#[test]
fn unsupported_instructions_are_invalid_instruction_data() {
    let good = tok::transfer(&A, &B, &ALICE, 1);
    for &tag in UNSUPPORTED_TAGS {
        let ix = Instruction {
            data: vec![tag, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            ..good.clone()
        };
        let out = Env::new().run(&world(), &ix);
        assert_eq!(out.result, Err(InstructionError::InvalidInstructionData));
        assert_eq!(out.compute_units_consumed, 0);
    }
}

fn every_instruction() -> Vec<TokenInstruction> {
    use token::*;
    vec![
        TokenInstruction::InitializeMint(InitializeMint {
            decimals: 9,
            mint_authority: ALICE,
            freeze_authority: Some(BOB),
        }),
        TokenInstruction::InitializeMint(InitializeMint {
            decimals: 0,
            mint_authority: ALICE,
            freeze_authority: None,
        }),
        TokenInstruction::InitializeAccount(InitializeAccount),
        TokenInstruction::Transfer(Transfer { amount: u64::MAX }),
        TokenInstruction::Approve(Approve { amount: 7 }),
        TokenInstruction::Revoke(Revoke),
        TokenInstruction::SetAuthority(SetAuthority {
            authority_type: AuthorityType::CloseAccount,
            new_authority: Some(BOB),
        }),
        TokenInstruction::SetAuthority(SetAuthority {
            authority_type: AuthorityType::MintTokens,
            new_authority: None,
        }),
        TokenInstruction::MintTo(MintTo { amount: 1 << 40 }),
        TokenInstruction::Burn(Burn { amount: 3 }),
        TokenInstruction::CloseAccount(CloseAccount),
        TokenInstruction::FreezeAccount(FreezeAccount),
        TokenInstruction::ThawAccount(ThawAccount),
        TokenInstruction::TransferChecked(TransferChecked {
            amount: 5,
            decimals: 2,
        }),
        TokenInstruction::ApproveChecked(ApproveChecked {
            amount: 5,
            decimals: 2,
        }),
        TokenInstruction::MintToChecked(MintToChecked {
            amount: 5,
            decimals: 2,
        }),
        TokenInstruction::BurnChecked(BurnChecked {
            amount: 5,
            decimals: 2,
        }),
        TokenInstruction::InitializeAccount2(InitializeAccount2 { owner: BOB }),
        TokenInstruction::InitializeAccount3(InitializeAccount3 { owner: BOB }),
        TokenInstruction::InitializeMint2(InitializeMint2 {
            decimals: 3,
            mint_authority: BOB,
            freeze_authority: Some(ALICE),
        }),
    ]
}

#[test]
fn instructions_round_trip_and_ignore_trailing_bytes() {
    for ix in every_instruction() {
        let mut data = ix.pack();
        assert_eq!(TokenInstruction::unpack(&data), Ok(ix));
        data.extend_from_slice(&[0xAB; 5]);
        assert_eq!(TokenInstruction::unpack(&data), Ok(ix), "{ix:?}");
    }
}

#[test]
fn units_are_charged_per_instruction_and_before_accounts_are_read() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::transfer(&A, &B, &ALICE, 1));
    assert_eq!(out.compute_units_consumed, token::Transfer::UNITS);
    assert_eq!(
        out.logs.iter().filter(|l| l.contains("consumed")).count(),
        0
    );
    assert!(out
        .logs
        .contains(&"Program log: Instruction: Transfer".to_string()));

    // A failing instruction is charged too.
    let out = env.run(&world(), &tok::transfer(&A, &B, &ALICE, 5_000));
    assert_eq!(out.result, Err(TokenError::InsufficientFunds.into()));
    assert_eq!(out.compute_units_consumed, token::Transfer::UNITS);

    let mut env = Env::new();
    env.budget = token::Transfer::UNITS - 1;
    let out = env.run(&world(), &tok::transfer(&A, &B, &ALICE, 1));
    assert_eq!(
        out.result,
        Err(InstructionError::ComputationalBudgetExceeded)
    );
    assert_eq!(out.accounts, world());
}

#[test]
fn every_instruction_costs_what_spl_token_costs() {
    // SPL Token's consumption per tag (Solana v2.1, p-token's table).
    let table: [(u8, u64); 18] = [
        (0, 2_967),
        (1, 4_527),
        (3, 4_645),
        (4, 2_904),
        (5, 2_677),
        (6, 3_167),
        (7, 4_538),
        (8, 4_753),
        (9, 2_916),
        (10, 4_265),
        (11, 4_267),
        (12, 6_201),
        (13, 4_459),
        (14, 4_546),
        (15, 4_755),
        (16, 4_388),
        (18, 4_240),
        (20, 2_827),
    ];
    for ix in every_instruction() {
        let tag = ix.pack()[0];
        let units = table.iter().find(|(t, _)| *t == tag).map(|(_, u)| *u);
        assert_eq!(Some(ix.units()), units, "{ix:?}");
    }
}

// ---------------------------------------------------------------- InitializeMint

fn blank(len: usize) -> Account {
    owned(vec![0; len])
}

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
    let expected = holding(MINT, BOB, 0);
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
        &with(base.clone(), MINT, token_account(&holding(MINT2, ALICE, 0))),
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

// ---------------------------------------------------------------- Transfer

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
    let other = with(w.clone(), B, token_account(&holding(MINT2, BOB, 0)));
    fails(&other, &ix, TokenError::MintMismatch);
    let uninit = with(w.clone(), B, blank(TokenAccount::LEN));
    fails(&uninit, &ix, InstructionError::UninitializedAccount);
    let not_token = with(w.clone(), B, mint_account(&mint_state(0, None)));
    fails(&not_token, &ix, InstructionError::InvalidAccountData);
    let mut frozen = holding(MINT, BOB, 0);
    frozen.state = AccountState::Frozen;
    fails(
        &with(w.clone(), B, token_account(&frozen)),
        &ix,
        TokenError::AccountFrozen,
    );
    let mut frozen = holding(MINT, ALICE, 1_000);
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
    let mut frozen = holding(MINT2, BOB, 0);
    frozen.state = AccountState::Frozen;
    let w = with(world(), B, token_account(&frozen));
    fails(
        &w,
        &unsigned(tok::transfer(&A, &B, &MALLORY, 5_000), 2),
        TokenError::AccountFrozen,
    );
    let w = with(world(), B, token_account(&holding(MINT2, BOB, 0)));
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
    let mut foreign = token_account(&holding(MINT, ALICE, 1_000));
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
    let mut foreign = token_account(&holding(MINT, BOB, 0));
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

// ---------------------------------------------------------------- MintTo

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
    let mut frozen = holding(MINT, BOB, 0);
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
    let mut native = holding(NATIVE_MINT, BOB, 0);
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
    let mut frozen = holding(MINT, ALICE, 1_000);
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
    let w = with(world(), C, token_account(&holding(MINT, INCINERATOR, 10)));
    let ix = unsigned(tok::burn(&C, &MINT, &MALLORY, 10), 2);
    let out = ok(&env, &w, &ix);
    assert_eq!(tokens(&out, &C).amount, 0);
}

// ---------------------------------------------------------------- Approve / Revoke

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
    let mut frozen = holding(MINT, ALICE, 1_000);
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
    let mut frozen = holding(MINT, ALICE, 1_000);
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

// ---------------------------------------------------------------- CloseAccount

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
    let w2 = with(w, C, token_account(&holding(MINT, ids::SYSTEM_PROGRAM, 0)));
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
        let mut t = holding(NATIVE_MINT, owner, amount);
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
        ..holding(MINT, ALICE, 77)
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

// ---------------------------------------------------------------- spl-token cross-check

mod spl_cross_check {
    use super::*;
    use solana_program_option::COption;
    use solana_program_pack::Pack;
    use solana_pubkey_v3::Pubkey as SplPubkey;
    use spl_token_interface as spl;

    fn sp(key: &Pubkey) -> SplPubkey {
        SplPubkey::new_from_array(key.to_bytes())
    }

    fn co(key: Option<Pubkey>) -> COption<SplPubkey> {
        match key {
            Some(k) => COption::Some(sp(&k)),
            None => COption::None,
        }
    }

    fn spl_id() -> SplPubkey {
        spl::id()
    }

    /// Baton's instruction equals spl-token's: program, metas, data.
    fn same(baton: Instruction, spl_ix: solana_instruction_v3::Instruction) {
        assert_eq!(baton.program_id.to_bytes(), spl_ix.program_id.to_bytes());
        assert_eq!(baton.data, spl_ix.data, "data of {:?}", baton.data.first());
        let metas: Vec<AccountMeta> = spl_ix
            .accounts
            .iter()
            .map(|m| AccountMeta {
                pubkey: Pubkey::new_from_array(m.pubkey.to_bytes()),
                is_signer: m.is_signer,
                is_writable: m.is_writable,
            })
            .collect();
        assert_eq!(baton.accounts, metas, "metas of {:?}", baton.data.first());
    }

    #[test]
    fn program_ids_agree() {
        assert_eq!(token::ID.to_bytes(), spl_id().to_bytes());
        assert_eq!(NATIVE_MINT.to_bytes(), spl::native_mint::id().to_bytes());
    }

    #[test]
    fn builders_match_spl_token() {
        use spl::instruction as si;
        let id = spl_id();
        let (m, a, b, o, d) = (sp(&MINT), sp(&A), sp(&B), sp(&ALICE), sp(&DELEGATE));
        for freeze in [None, Some(FREEZE_AUTH)] {
            let f = freeze.map(|k| sp(&k));
            same(
                tok::initialize_mint(&MINT, &ALICE, freeze.as_ref(), 9),
                si::initialize_mint(&id, &m, &o, f.as_ref(), 9).unwrap(),
            );
            same(
                tok::initialize_mint2(&MINT, &ALICE, freeze.as_ref(), 0),
                si::initialize_mint2(&id, &m, &o, f.as_ref(), 0).unwrap(),
            );
        }
        same(
            tok::initialize_account(&A, &MINT, &ALICE),
            si::initialize_account(&id, &a, &m, &o).unwrap(),
        );
        same(
            tok::initialize_account2(&A, &MINT, &ALICE),
            si::initialize_account2(&id, &a, &m, &o).unwrap(),
        );
        same(
            tok::initialize_account3(&A, &MINT, &ALICE),
            si::initialize_account3(&id, &a, &m, &o).unwrap(),
        );
        for amount in [0, 1, 0x0102_0304_0506_0708, u64::MAX] {
            same(
                tok::transfer(&A, &B, &ALICE, amount),
                si::transfer(&id, &a, &b, &o, &[], amount).unwrap(),
            );
            same(
                tok::transfer_checked(&A, &MINT, &B, &ALICE, amount, 7),
                si::transfer_checked(&id, &a, &m, &b, &o, &[], amount, 7).unwrap(),
            );
            same(
                tok::approve(&A, &DELEGATE, &ALICE, amount),
                si::approve(&id, &a, &d, &o, &[], amount).unwrap(),
            );
            same(
                tok::approve_checked(&A, &MINT, &DELEGATE, &ALICE, amount, 7),
                si::approve_checked(&id, &a, &m, &d, &o, &[], amount, 7).unwrap(),
            );
            same(
                tok::mint_to(&MINT, &A, &ALICE, amount),
                si::mint_to(&id, &m, &a, &o, &[], amount).unwrap(),
            );
            same(
                tok::mint_to_checked(&MINT, &A, &ALICE, amount, 7),
                si::mint_to_checked(&id, &m, &a, &o, &[], amount, 7).unwrap(),
            );
            same(
                tok::burn(&A, &MINT, &ALICE, amount),
                si::burn(&id, &a, &m, &o, &[], amount).unwrap(),
            );
            same(
                tok::burn_checked(&A, &MINT, &ALICE, amount, 7),
                si::burn_checked(&id, &a, &m, &o, &[], amount, 7).unwrap(),
            );
        }
        same(
            tok::revoke(&A, &ALICE),
            si::revoke(&id, &a, &o, &[]).unwrap(),
        );
        same(
            tok::close_account(&A, &B, &ALICE),
            si::close_account(&id, &a, &b, &o, &[]).unwrap(),
        );
        same(
            tok::freeze_account(&A, &MINT, &ALICE),
            si::freeze_account(&id, &a, &m, &o, &[]).unwrap(),
        );
        same(
            tok::thaw_account(&A, &MINT, &ALICE),
            si::thaw_account(&id, &a, &m, &o, &[]).unwrap(),
        );
        for (ours, theirs) in [
            (AuthorityType::MintTokens, si::AuthorityType::MintTokens),
            (
                AuthorityType::FreezeAccount,
                si::AuthorityType::FreezeAccount,
            ),
            (AuthorityType::AccountOwner, si::AuthorityType::AccountOwner),
            (AuthorityType::CloseAccount, si::AuthorityType::CloseAccount),
        ] {
            for new in [None, Some(BOB)] {
                let n = new.map(|k| sp(&k));
                same(
                    tok::set_authority(&A, new.as_ref(), ours, &ALICE),
                    si::set_authority(&id, &a, n.as_ref(), theirs.clone(), &o, &[]).unwrap(),
                );
            }
        }
    }

    #[test]
    fn spl_encoded_instructions_decode_in_baton() {
        use spl::instruction::TokenInstruction as S;
        // Every implemented instruction, packed by spl-token, decodes to
        // the same instruction and packs back to the same bytes.
        for ix in every_instruction() {
            let data = ix.pack();
            let theirs = S::unpack(&data).unwrap();
            assert_eq!(theirs.pack(), data, "{ix:?}");
        }
        // Instructions Baton does not implement decode in spl-token and are
        // refused here with InvalidInstructionData.
        for spl_ix in [
            S::InitializeMultisig { m: 1 },
            S::SyncNative,
            S::InitializeMultisig2 { m: 2 },
            S::GetAccountDataSize,
            S::InitializeImmutableOwner,
            S::AmountToUiAmount { amount: 5 },
            S::UiAmountToAmount { ui_amount: "1.5" },
        ] {
            let data = spl_ix.pack();
            assert!(UNSUPPORTED_TAGS.contains(&data[0]));
            assert_eq!(
                TokenInstruction::unpack(&data),
                Err(InstructionError::InvalidInstructionData)
            );
        }
        // Malformed data fails in both with InvalidInstruction (12).
        for data in [vec![], vec![3, 1], vec![6, 9, 0], vec![0, 1, 2], vec![200]] {
            assert_eq!(
                S::unpack(&data).unwrap_err(),
                solana_program_error::ProgramError::Custom(12)
            );
            assert_eq!(
                TokenInstruction::unpack(&data),
                Err(TokenError::InvalidInstruction.into())
            );
        }
    }

    #[test]
    fn baton_state_unpacks_in_spl_token_and_back() {
        for mint in [
            mint_state(0, None),
            Mint {
                mint_authority: None,
                supply: u64::MAX,
                decimals: 255,
                is_initialized: true,
                freeze_authority: Some(FREEZE_AUTH),
            },
        ] {
            let bytes = mint.to_bytes();
            assert_eq!(bytes.len(), spl::state::Mint::LEN);
            let theirs = spl::state::Mint::unpack(&bytes).unwrap();
            assert_eq!(theirs.mint_authority, co(mint.mint_authority));
            assert_eq!(theirs.supply, mint.supply);
            assert_eq!(theirs.decimals, mint.decimals);
            assert!(theirs.is_initialized);
            assert_eq!(theirs.freeze_authority, co(mint.freeze_authority));
            let mut back = [0u8; Mint::LEN];
            theirs.pack_into_slice(&mut back);
            assert_eq!(back, bytes);
            assert_eq!(Mint::unpack(&back), Ok(mint));
        }
        for (state, spl_state) in [
            (
                AccountState::Initialized,
                spl::state::AccountState::Initialized,
            ),
            (AccountState::Frozen, spl::state::AccountState::Frozen),
        ] {
            for (delegate, is_native, close) in [
                (None, None, None),
                (Some(DELEGATE), Some(2_039_280), Some(C)),
            ] {
                let acc = TokenAccount {
                    mint: MINT,
                    owner: ALICE,
                    amount: 0xDEAD_BEEF,
                    delegate,
                    state,
                    is_native,
                    delegated_amount: 17,
                    close_authority: close,
                };
                let bytes = acc.to_bytes();
                assert_eq!(bytes.len(), spl::state::Account::LEN);
                let theirs = spl::state::Account::unpack(&bytes).unwrap();
                assert_eq!(theirs.mint, sp(&MINT));
                assert_eq!(theirs.owner, sp(&ALICE));
                assert_eq!(theirs.amount, acc.amount);
                assert_eq!(theirs.delegate, co(delegate));
                assert_eq!(theirs.state, spl_state);
                assert_eq!(
                    theirs.is_native,
                    is_native.map_or(COption::None, COption::Some)
                );
                assert_eq!(theirs.delegated_amount, 17);
                assert_eq!(theirs.close_authority, co(close));
                let mut back = [0u8; TokenAccount::LEN];
                theirs.pack_into_slice(&mut back);
                assert_eq!(back, bytes);
            }
        }
        // Both refuse the same malformed bytes.
        let mut bad = holding(MINT, ALICE, 1).to_bytes();
        bad[108] = 7;
        assert!(spl::state::Account::unpack(&bad).is_err());
        assert!(TokenAccount::unpack(&bad).is_err());
    }

    #[test]
    fn error_codes_and_messages_match_spl_token() {
        for e in TokenError::ALL {
            let theirs = spl::error::TokenError::try_from(e.code()).unwrap();
            assert_eq!(theirs.clone() as u32, e.code());
            assert_eq!(theirs.to_string(), e.to_string());
        }
    }
}

// ---------------------------------------------------------------- whole transactions

#[test]
fn a_transaction_creates_a_mint_and_accounts_with_the_system_program() {
    use baton_executor::process_message;
    use baton_programs::system::{self, SystemProgram};
    use baton_types::Message;
    use std::collections::HashMap;

    let mut env = Env::new();
    env.programs.add(system::ID, Arc::new(SystemProgram));
    let payer = ALICE;
    let r = rent();
    let ixs = [
        system::instruction::create_account(
            &payer,
            &MINT,
            r.minimum_balance(Mint::LEN),
            Mint::LEN as u64,
            &token::ID,
        ),
        tok::initialize_mint2(&MINT, &payer, None, DECIMALS),
        system::instruction::create_account(
            &payer,
            &A,
            r.minimum_balance(TokenAccount::LEN),
            TokenAccount::LEN as u64,
            &token::ID,
        ),
        tok::initialize_account3(&A, &MINT, &BOB),
        tok::mint_to_checked(&MINT, &A, &payer, 42, DECIMALS),
        tok::set_authority(&MINT, None, AuthorityType::MintTokens, &payer),
    ];
    let message = Message::new(&ixs, Some(&payer));
    let mut store: HashMap<Pubkey, Account> = HashMap::new();
    store.insert(payer, system_account(1_000_000_000));
    for program in [system::ID, token::ID] {
        let loaded = Account {
            lamports: 1,
            owner: ids::NATIVE_LOADER,
            executable: true,
            ..Account::default()
        };
        store.insert(program, loaded);
    }
    let out = process_message(
        &message,
        &|k| store.get(k).cloned(),
        Environment {
            programs: &env.programs,
            sysvars: &env.sysvars,
            config: &env.config,
        },
    )
    .unwrap();
    assert_eq!(out.status, Ok(()), "logs: {:?}", out.logs);
    store.extend(out.changes);
    let acc = TokenAccount::unpack(&store[&A].data).unwrap();
    assert_eq!((acc.mint, acc.owner, acc.amount), (MINT, BOB, 42));
    let mint = Mint::unpack(&store[&MINT].data).unwrap();
    assert_eq!((mint.supply, mint.mint_authority), (42, None));
    assert_eq!(store[&MINT].owner, token::ID);
}
