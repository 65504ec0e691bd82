//! `Transfer` (2): move lamports between accounts.

use baton_executor::InvokeContext;
use baton_types::InstructionError;
use serde::{Deserialize, Serialize};

use super::shared;

/// Transfer `lamports` from the funding account to the recipient.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` Funding account
///   1. `[WRITE]` Recipient account
///
/// Errors: `MissingAccount`; the funding account did not sign →
/// `MissingRequiredSignature`; it carries data → `InvalidArgument`; it
/// holds less than `lamports` → `Custom(ResultWithNegativeLamports)`; then
/// the executor's lamport rules (`ExternalAccountLamportSpend` when the
/// system program does not own the funding account, `ReadonlyLamportChange`,
/// `ArithmeticOverflow`). The funding account may be the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// Lamports to move.
    pub lamports: u64,
}

impl Transfer {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 2;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 2)?;
        shared::transfer(ctx, 0, 1, self.lamports)
    }
}
