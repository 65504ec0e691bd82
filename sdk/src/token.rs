//! Typed calls into the token program, and typed reads of its accounts.
//! Each wrapper checks that the context's program is the token program
//! (`IncorrectProgramId`), builds the instruction with
//! [`baton_programs::token::instruction`]'s builder and invokes it with the
//! context's signer seeds; the callee's errors come back as they are
//! ([`baton_programs::token::TokenError`] codes in `Custom`).

use baton_types::{InstructionError, Pubkey};

use crate::{AccountHandle, CpiContext};
use baton_programs::token::instruction as ix;
use baton_programs::token::state::{Mint, TokenAccount};

/// Accounts of [`transfer`].
#[derive(Debug, Clone, Copy)]
pub struct Transfer<'a> {
    /// `[WRITE]` The source token account.
    pub from: AccountHandle<'a>,
    /// `[WRITE]` The destination token account.
    pub to: AccountHandle<'a>,
    /// `[SIGNER]` The source's owner or delegate (a PDA of the caller with
    /// its seeds in the context).
    pub authority: AccountHandle<'a>,
}

/// Move `amount` tokens (token `Transfer`).
pub fn transfer(
    ctx: CpiContext<'_, '_, Transfer<'_>>,
    amount: u64,
) -> Result<(), InstructionError> {
    let a = &ctx.accounts;
    ctx.invoke_instruction(&ix::transfer(
        a.from.key(),
        a.to.key(),
        a.authority.key(),
        amount,
    ))
}

/// Accounts of [`transfer_checked`].
#[derive(Debug, Clone, Copy)]
pub struct TransferChecked<'a> {
    /// `[WRITE]` The source token account.
    pub from: AccountHandle<'a>,
    /// `[]` The mint of both accounts.
    pub mint: AccountHandle<'a>,
    /// `[WRITE]` The destination token account.
    pub to: AccountHandle<'a>,
    /// `[SIGNER]` The source's owner or delegate.
    pub authority: AccountHandle<'a>,
}

/// Move `amount` tokens, checking the mint and its `decimals` (token
/// `TransferChecked`).
pub fn transfer_checked(
    ctx: CpiContext<'_, '_, TransferChecked<'_>>,
    amount: u64,
    decimals: u8,
) -> Result<(), InstructionError> {
    let a = &ctx.accounts;
    ctx.invoke_instruction(&ix::transfer_checked(
        a.from.key(),
        a.mint.key(),
        a.to.key(),
        a.authority.key(),
        amount,
        decimals,
    ))
}

/// Accounts of [`mint_to`].
#[derive(Debug, Clone, Copy)]
pub struct MintTo<'a> {
    /// `[WRITE]` The mint.
    pub mint: AccountHandle<'a>,
    /// `[WRITE]` The token account credited.
    pub to: AccountHandle<'a>,
    /// `[SIGNER]` The mint authority.
    pub authority: AccountHandle<'a>,
}

/// Mint `amount` new tokens into `to` (token `MintTo`).
pub fn mint_to(ctx: CpiContext<'_, '_, MintTo<'_>>, amount: u64) -> Result<(), InstructionError> {
    let a = &ctx.accounts;
    ctx.invoke_instruction(&ix::mint_to(
        a.mint.key(),
        a.to.key(),
        a.authority.key(),
        amount,
    ))
}

/// Accounts of [`burn`].
#[derive(Debug, Clone, Copy)]
pub struct Burn<'a> {
    /// `[WRITE]` The token account debited.
    pub from: AccountHandle<'a>,
    /// `[WRITE]` The mint.
    pub mint: AccountHandle<'a>,
    /// `[SIGNER]` The account's owner or delegate.
    pub authority: AccountHandle<'a>,
}

/// Destroy `amount` tokens of `from` (token `Burn`).
pub fn burn(ctx: CpiContext<'_, '_, Burn<'_>>, amount: u64) -> Result<(), InstructionError> {
    let a = &ctx.accounts;
    ctx.invoke_instruction(&ix::burn(
        a.from.key(),
        a.mint.key(),
        a.authority.key(),
        amount,
    ))
}

/// Accounts of [`initialize_account3`].
#[derive(Debug, Clone, Copy)]
pub struct InitializeAccount3<'a> {
    /// `[WRITE]` The new token account: 165 bytes, owned by the token
    /// program, rent exempt.
    pub account: AccountHandle<'a>,
    /// `[]` Its mint.
    pub mint: AccountHandle<'a>,
}

/// Initialize a token account of `mint` held by `owner` (token
/// `InitializeAccount3`).
pub fn initialize_account3(
    ctx: CpiContext<'_, '_, InitializeAccount3<'_>>,
    owner: &Pubkey,
) -> Result<(), InstructionError> {
    let a = &ctx.accounts;
    ctx.invoke_instruction(&ix::initialize_account3(
        a.account.key(),
        a.mint.key(),
        owner,
    ))
}

/// The token account behind `account`: `InvalidAccountOwner` unless the
/// token program owns it, then [`TokenAccount::unpack`]'s errors
/// (`InvalidAccountData`, `UninitializedAccount`). A copy: no borrow is
/// kept.
pub fn token_account(account: &AccountHandle<'_>) -> Result<TokenAccount, InstructionError> {
    account.expect_owner(&baton_programs::token::ID)?;
    TokenAccount::unpack(&account.try_borrow_data()?)
}

/// The mint behind `account`: `InvalidAccountOwner` unless the token
/// program owns it, then [`Mint::unpack`]'s errors.
pub fn mint(account: &AccountHandle<'_>) -> Result<Mint, InstructionError> {
    account.expect_owner(&baton_programs::token::ID)?;
    Mint::unpack(&account.try_borrow_data()?)
}
