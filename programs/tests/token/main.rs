//! The token program through `process_instruction`: every implemented
//! instruction's success path and its errors, with SPL Token's error values
//! and fixed compute units, no state change on failure; then a cross-check
//! against the `spl-token-interface` crate: instruction bytes and metas,
//! state layouts and error codes.

#![allow(clippy::unwrap_used)]

mod accounts;
mod authority;
mod decoding;
mod initialize;
mod spl_cross_check;
mod supply;
mod transactions;
mod transfer;

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
        (
            A,
            token_account(&TokenAccount::initialized(MINT, ALICE, 1_000)),
        ),
        (B, token_account(&TokenAccount::initialized(MINT, BOB, 0))),
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

fn blank(len: usize) -> Account {
    owned(vec![0; len])
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
