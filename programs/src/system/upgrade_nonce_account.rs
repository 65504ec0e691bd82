//! `UpgradeNonceAccount` (12): move a legacy nonce to the current version.

use baton_executor::InvokeContext;
use baton_types::{ids, InstructionError};
use serde::{Deserialize, Serialize};

use super::nonce;
use super::shared;

/// One-time, idempotent upgrade of a legacy initialized nonce account: its
/// durable nonce is re-hashed out of the blockhash domain.
///
/// Accounts:
///   0. `[WRITE]` Nonce account
///
/// Errors: `MissingAccount`; not owned by the system program →
/// `InvalidAccountOwner`; read-only → `InvalidArgument`; malformed data →
/// `InvalidAccountData`; nothing to upgrade (already current, or legacy
/// uninitialized) → `InvalidArgument`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeNonceAccount;

impl UpgradeNonceAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 12;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        if *account.owner() != ids::SYSTEM_PROGRAM {
            return Err(InstructionError::InvalidAccountOwner);
        }
        if !account.is_writable() {
            return Err(InstructionError::InvalidArgument);
        }
        match nonce::get_state(&account)?.upgrade() {
            None => Err(InstructionError::InvalidArgument),
            Some(upgraded) => nonce::set_state(&mut account, &upgraded),
        }
    }
}
