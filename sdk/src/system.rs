//! Typed calls into the system program. Each wrapper checks that the
//! context's program is the system program (`IncorrectProgramId`), builds
//! the instruction with [`baton_programs::system::instruction`]'s builder and invokes
//! it with the context's signer seeds; the callee's errors come back as
//! they are ([`baton_programs::system::SystemError`] codes in `Custom`).

use baton_types::{InstructionError, Pubkey};

use crate::{AccountHandle, CpiContext};
use baton_programs::system::instruction as ix;

/// Accounts of [`transfer`].
#[derive(Debug, Clone, Copy)]
pub struct Transfer<'a> {
    /// `[WRITE, SIGNER]` The funding account, owned by the system program.
    pub from: AccountHandle<'a>,
    /// `[WRITE]` The recipient.
    pub to: AccountHandle<'a>,
}

/// Move `lamports` from `from` to `to` (system `Transfer`).
pub fn transfer(
    ctx: CpiContext<'_, '_, Transfer<'_>>,
    lamports: u64,
) -> Result<(), InstructionError> {
    let a = &ctx.accounts;
    ctx.invoke_instruction(&ix::transfer(a.from.key(), a.to.key(), lamports))
}

/// Accounts of [`create_account`].
#[derive(Debug, Clone, Copy)]
pub struct CreateAccount<'a> {
    /// `[WRITE, SIGNER]` The funding account.
    pub from: AccountHandle<'a>,
    /// `[WRITE, SIGNER]` The new account (a keypair that signed the
    /// transaction, or a PDA of the caller with its seeds in the context).
    pub to: AccountHandle<'a>,
}

/// Create `to` with `lamports`, `space` zeroed bytes and `owner` (system
/// `CreateAccount`); `to` must hold no lamports yet.
pub fn create_account(
    ctx: CpiContext<'_, '_, CreateAccount<'_>>,
    lamports: u64,
    space: u64,
    owner: &Pubkey,
) -> Result<(), InstructionError> {
    let a = &ctx.accounts;
    ctx.invoke_instruction(&ix::create_account(
        a.from.key(),
        a.to.key(),
        lamports,
        space,
        owner,
    ))
}

/// Accounts of [`allocate`].
#[derive(Debug, Clone, Copy)]
pub struct Allocate<'a> {
    /// `[WRITE, SIGNER]` The account to size, owned by the system program.
    pub account: AccountHandle<'a>,
}

/// Give `account` `space` zeroed bytes (system `Allocate`).
pub fn allocate(ctx: CpiContext<'_, '_, Allocate<'_>>, space: u64) -> Result<(), InstructionError> {
    ctx.invoke_instruction(&ix::allocate(ctx.accounts.account.key(), space))
}

/// Accounts of [`assign`].
#[derive(Debug, Clone, Copy)]
pub struct Assign<'a> {
    /// `[WRITE, SIGNER]` The account to hand over, owned by the system program.
    pub account: AccountHandle<'a>,
}

/// Hand `account` to `owner` (system `Assign`).
pub fn assign(ctx: CpiContext<'_, '_, Assign<'_>>, owner: &Pubkey) -> Result<(), InstructionError> {
    ctx.invoke_instruction(&ix::assign(ctx.accounts.account.key(), owner))
}
