//! The example programs end to end: signed transactions through the
//! `Runtime` with the token program, the PDA vault and the swap pool
//! registered. Deposits and withdrawals (a withdrawal works only with the
//! vault PDA's own seeds), pool creation, swaps with exact outputs, failed
//! swaps that cost only the fee, wrong pools, vaults and mints, and the
//! pool invariant over a batch.
#![allow(clippy::unwrap_used)]

mod swap_flows;
mod vault_flows;

use std::sync::Arc;

use baton::{
    Account, Instruction, InstructionError, Keypair, Pubkey, Runtime, Transaction, TransactionError,
};
use baton_examples::swap::{self, curve, PoolState, SwapError, SwapProgram};
use baton_examples::vault::{self, Receipt, VaultError, VaultProgram};
use baton_programs::token::instruction as tok;
use baton_programs::token::state::{Mint, TokenAccount};
use baton_programs::token::{self, TokenError, TokenProgram};
use baton_types::pda;

const FEE: u64 = 5_000;
const SOL: u64 = 1_000_000_000;

fn kp(n: u8) -> Keypair {
    Keypair::from_seed(&[n; 32])
}

fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

fn runtime() -> Runtime {
    Runtime::new()
        .with_threads(2)
        .with_program(token::ID, Arc::new(TokenProgram))
        .with_program(vault::ID, Arc::new(VaultProgram))
        .with_program(swap::ID, Arc::new(SwapProgram))
}

fn rent(rt: &Runtime, len: usize) -> u64 {
    rt.sysvars().rent.minimum_balance(len)
}

/// An initialized mint with `authority`, 6 decimals.
fn set_mint(rt: &mut Runtime, mint: Pubkey, authority: &Pubkey) {
    let state = Mint {
        mint_authority: Some(*authority),
        supply: 0,
        decimals: 6,
        is_initialized: true,
        freeze_authority: None,
    };
    let lamports = rent(rt, Mint::LEN);
    rt.set_account(
        mint,
        Account::with_data(lamports, state.to_bytes().to_vec(), &token::ID),
    )
    .unwrap();
}

/// A token account of `mint` held by `owner` with `amount` (the mint's
/// supply is not adjusted: the tests read balances only).
fn set_token(rt: &mut Runtime, account: Pubkey, mint: Pubkey, owner: &Pubkey, amount: u64) {
    let state = TokenAccount::initialized(mint, *owner, amount);
    let lamports = rent(rt, TokenAccount::LEN);
    rt.set_account(
        account,
        Account::with_data(lamports, state.to_bytes().to_vec(), &token::ID),
    )
    .unwrap();
}

fn tokens(rt: &Runtime, account: &Pubkey) -> u64 {
    TokenAccount::unpack(&rt.account(account).unwrap().data)
        .unwrap()
        .amount
}

fn send(rt: &mut Runtime, ixs: &[Instruction], payer: &Keypair) -> baton::TransactionResult {
    let tx = Transaction::new_signed_with_payer(
        ixs,
        Some(&payer.pubkey()),
        &[payer],
        rt.latest_blockhash(),
    )
    .unwrap();
    rt.send_transaction(tx)
}

fn failed_with(r: &baton::TransactionResult, err: InstructionError) {
    assert_eq!(
        r.status,
        Err(TransactionError::InstructionError(0, err)),
        "{:#?}",
        r.logs
    );
    assert_eq!(r.fee, FEE, "a failed transaction is charged its fee");
}

/// The two mints both examples trade ([`key`] numbers).
const MINT_A: u8 = 1;
const MINT_B: u8 = 2;
