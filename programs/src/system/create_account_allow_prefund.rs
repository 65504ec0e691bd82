//! `CreateAccountAllowPrefund` (13, SIMD-0312): allocate and assign a new
//! account that may already hold lamports, topping it up from an optional
//! funding account.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::serde_bytes32;
use super::shared::{self, Address};

/// Create a new account without requiring it to hold no lamports: give it
/// `space` zeroed bytes, assign it to `owner`, then, if `lamports > 0`,
/// transfer `lamports` to it from the funding account.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` New account
///   1. `[WRITE, SIGNER]` Funding account (needed only when `lamports > 0`)
///
/// Errors, in Agave 4.2's order: fewer than 2 accounts with `lamports > 0`
/// (1 otherwise) → `MissingAccount`; then [`super::Allocate`]'s and
/// [`super::Assign`]'s errors on the new account (it must sign, have no
/// data and be owned by the system program; `space` at most 10 MiB); then
/// the transfer's errors (funding account did not sign, carries data, is
/// short of lamports). There is no check of the new account's lamports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccountAllowPrefund {
    /// Lamports to transfer to the new account (may be 0).
    pub lamports: u64,
    /// Bytes of data to allocate.
    pub space: u64,
    /// The program that will own the new account.
    #[serde(with = "serde_bytes32::pubkey")]
    pub owner: Pubkey,
}

impl CreateAccountAllowPrefund {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 13;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        let funded = self.lamports > 0;
        shared::check_number_of_instruction_accounts(ctx, if funded { 2 } else { 1 })?;
        let to_address = Address::create(ctx, ctx.instruction_account_key(0)?, None)?;
        {
            let mut to = ctx.borrow_instruction_account(0)?;
            shared::allocate_and_assign(ctx, &mut to, &to_address, self.space, &self.owner)?;
        }
        if funded {
            shared::transfer(ctx, 1, 0, self.lamports)?;
        }
        Ok(())
    }
}
