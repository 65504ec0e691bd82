//! `TransferWithSeed` (11): move lamports out of a seeded address.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::error::SystemError;
use super::serde_bytes32;
use super::shared;

/// Transfer `lamports` from the account at the address derived from the
/// base account, `from_seed` and `from_owner`, with the base's signature.
///
/// Accounts:
///   0. `[WRITE]` Funding account
///   1. `[SIGNER]` Base for funding account
///   2. `[WRITE]` Recipient account
///
/// Errors: `MissingAccount`; the base did not sign →
/// `MissingRequiredSignature`; `Custom(0)` (seed over 32 bytes), `Custom(2)`
/// (PDA-marker owner) from the derivation; account 0 is not the derived address →
/// `Custom(AddressWithSeedMismatch)`; then `Transfer`'s errors after the
/// signature check (data → `InvalidArgument`, short →
/// `Custom(ResultWithNegativeLamports)`, and `ExternalAccountLamportSpend`
/// when the funding account is not a system account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferWithSeed {
    /// Lamports to move.
    pub lamports: u64,
    /// The seed of the funding address.
    pub from_seed: String,
    /// The owner used to derive the funding address.
    #[serde(with = "serde_bytes32::pubkey")]
    pub from_owner: Pubkey,
}

impl TransferWithSeed {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 11;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 3)?;
        let base = ctx.instruction_account_key(1)?;
        if !ctx.instruction_account(1)?.is_signer {
            ic_msg!(ctx, "Transfer: 'from' account {:?} must sign", base);
            return Err(InstructionError::MissingRequiredSignature);
        }
        let derived = shared::derive_with_seed(base, &self.from_seed, &self.from_owner)?;
        let from = ctx.instruction_account_key(0)?;
        if *from != derived {
            ic_msg!(
                ctx,
                "Transfer: 'from' address {} does not match derived address {}",
                from,
                derived
            );
            return Err(SystemError::AddressWithSeedMismatch.into());
        }
        shared::transfer_verified(ctx, 0, 2, self.lamports)
    }
}
