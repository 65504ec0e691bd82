//! `AssignWithSeed` (10): hand an account at a seeded address to a program.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::serde_bytes32;
use super::shared::{self, Address};

/// Assign the account at the address derived from `base`, `seed` and
/// `owner` to `owner`.
///
/// Accounts:
///   0. `[WRITE]` Assigned account
///   1. `[SIGNER]` Base account
///
/// Errors: `MissingAccount`; `Custom(0)` (seed over 32 bytes), `Custom(2)` (PDA-marker owner),
/// `Custom(AddressWithSeedMismatch)` from the derivation; an account already
/// owned by `owner` succeeds without a signature; otherwise the base did not
/// sign → `MissingRequiredSignature`; the executor's owner rule →
/// `ModifiedProgramId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignWithSeed {
    /// The base address.
    #[serde(with = "serde_bytes32::pubkey")]
    pub base: Pubkey,
    /// The seed, at most 32 bytes.
    pub seed: String,
    /// The new owner (also part of the derivation).
    #[serde(with = "serde_bytes32::pubkey")]
    pub owner: Pubkey,
}

impl AssignWithSeed {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 10;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        let address = Address::create(
            ctx,
            ctx.instruction_account_key(0)?,
            Some((&self.base, &self.seed, &self.owner)),
        )?;
        shared::assign(ctx, &mut account, &address, &self.owner)
    }
}
