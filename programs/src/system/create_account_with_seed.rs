//! `CreateAccountWithSeed` (3): create an account at a seeded address.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::serde_bytes32;
use super::shared::{self, Address};

/// Create a new account at the address derived from `base`, `seed` and
/// `owner` (SHA-256 of `base ‖ seed ‖ owner`): fund, allocate and assign it.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` Funding account
///   1. `[WRITE]` Created account
///   2. `[SIGNER]` (optional) Base account; the account matching `base`
///      must sign, and may be the funding account given as account 0
///
/// Errors: `MissingAccount`; a seed over 32 bytes →
/// `Custom(0)`; an owner ending in the PDA marker →
/// `Custom(2)`; account 1 is not the derived address →
/// `Custom(AddressWithSeedMismatch)`; then `CreateAccount`'s errors, with
/// the base (not the created account) as the required signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccountWithSeed {
    /// The base address.
    #[serde(with = "serde_bytes32::pubkey")]
    pub base: Pubkey,
    /// The seed, at most 32 bytes.
    pub seed: String,
    /// Lamports to transfer to the new account.
    pub lamports: u64,
    /// Bytes of data to allocate.
    pub space: u64,
    /// The program that will own the new account (also part of the derivation).
    #[serde(with = "serde_bytes32::pubkey")]
    pub owner: Pubkey,
}

impl CreateAccountWithSeed {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 3;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 2)?;
        let to_address = Address::create(
            ctx,
            ctx.instruction_account_key(1)?,
            Some((&self.base, &self.seed, &self.owner)),
        )?;
        shared::create_account(
            ctx,
            0,
            1,
            &to_address,
            self.lamports,
            self.space,
            &self.owner,
        )
    }
}
