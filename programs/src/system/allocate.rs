//! `Allocate` (8): give an account data space without funding it.

use baton_executor::InvokeContext;
use baton_types::InstructionError;
use serde::{Deserialize, Serialize};

use super::shared::{self, Address};

/// Allocate `space` zeroed bytes in a (possibly new) account.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` New account
///
/// Errors: `MissingAccount`; the account did not sign →
/// `MissingRequiredSignature`; it has data or a non-system owner →
/// `Custom(AccountAlreadyInUse)`; `space` over 10 MiB →
/// `Custom(InvalidAccountDataLength)`; then the executor's resize and data
/// rules (`ReadonlyDataModified` for a read-only account, even at length 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocate {
    /// Bytes of data to allocate.
    pub space: u64,
}

impl Allocate {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 8;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        let address = Address::create(ctx, ctx.instruction_account_key(0)?, None)?;
        shared::allocate(ctx, &mut account, &address, self.space)
    }
}
