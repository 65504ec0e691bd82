//! `AllocateWithSeed` (9): allocate and assign an account at a seeded address.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::serde_bytes32;
use super::shared::{self, Address};

/// Allocate `space` bytes in the account at the address derived from
/// `base`, `seed` and `owner`, and assign it to `owner`.
///
/// Accounts:
///   0. `[WRITE]` Allocated account
///   1. `[SIGNER]` Base account
///
/// Errors: `MissingAccount`; `Custom(0)` (seed over 32 bytes), `Custom(2)` (PDA-marker owner),
/// `Custom(AddressWithSeedMismatch)` from the derivation; the base did not
/// sign → `MissingRequiredSignature`; the account is in use →
/// `Custom(AccountAlreadyInUse)`; `space` over 10 MiB →
/// `Custom(InvalidAccountDataLength)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocateWithSeed {
    /// The base address.
    #[serde(with = "serde_bytes32::pubkey")]
    pub base: Pubkey,
    /// The seed, at most 32 bytes.
    pub seed: String,
    /// Bytes of data to allocate.
    pub space: u64,
    /// The new owner (also part of the derivation).
    #[serde(with = "serde_bytes32::pubkey")]
    pub owner: Pubkey,
}

impl AllocateWithSeed {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 9;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        let address = Address::create(
            ctx,
            ctx.instruction_account_key(0)?,
            Some((&self.base, &self.seed, &self.owner)),
        )?;
        shared::allocate_and_assign(ctx, &mut account, &address, self.space, &self.owner)
    }
}
