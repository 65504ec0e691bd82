//! `CreateAccount` (0): fund, allocate and assign a new account.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::serde_bytes32;
use super::shared::{self, Address};

/// Create a new account: transfer `lamports` to it, give it `space` zeroed
/// bytes and assign it to `owner`.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` Funding account
///   1. `[WRITE, SIGNER]` New account
///
/// Errors, in Agave's order: `MissingAccount`; the new account holds
/// lamports → `Custom(AccountAlreadyInUse)`; the new account did not sign →
/// `MissingRequiredSignature`; it has data or a non-system owner →
/// `Custom(AccountAlreadyInUse)`; `space` over 10 MiB →
/// `Custom(InvalidAccountDataLength)`; then the transfer's errors (funding
/// account did not sign, carries data, is short of lamports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccount {
    /// Lamports to transfer to the new account.
    pub lamports: u64,
    /// Bytes of data to allocate.
    pub space: u64,
    /// The program that will own the new account.
    #[serde(with = "serde_bytes32::pubkey")]
    pub owner: Pubkey,
}

impl CreateAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 0;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 2)?;
        let to_address = Address::create(ctx, ctx.instruction_account_key(1)?, None)?;
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
