//! `Assign` (1): hand an account to a program.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::serde_bytes32;
use super::shared::{self, Address};

/// Assign the account to `owner`.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` Assigned account
///
/// Errors: `MissingAccount`; an account already owned by `owner`
/// succeeds without a signature; otherwise the account did not sign →
/// `MissingRequiredSignature`; not owned by the system program, read-only,
/// executable or with non-zero data → `ModifiedProgramId` (the executor's
/// owner rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assign {
    /// The new owner program.
    #[serde(with = "serde_bytes32::pubkey")]
    pub owner: Pubkey,
}

impl Assign {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 1;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        let address = Address::create(ctx, ctx.instruction_account_key(0)?, None)?;
        shared::assign(ctx, &mut account, &address, &self.owner)
    }
}
