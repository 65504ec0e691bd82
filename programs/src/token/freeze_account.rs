//! `FreezeAccount` (10): freeze a token account.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::shared;

/// Freeze an initialized account: no transfers, approvals, burns or
/// authority changes until it is thawed. Signed by the mint's freeze authority.
///
/// Accounts:
///   0. `[WRITE]` The account to freeze
///   1. `[]` The token mint
///   2. `[SIGNER]` The mint's freeze authority
///
/// Errors, in SPL Token's order: `NotEnoughAccountKeys`; not an
/// initialized token account → `InvalidAccountData` /
/// `UninitializedAccount`; already frozen → `Custom(InvalidState)`; native →
/// `Custom(NativeNotSupported)`; mint not the account's mint →
/// `Custom(MintMismatch)`; mint not an initialized mint →
/// `InvalidAccountData` / `UninitializedAccount`; no freeze authority →
/// `Custom(MintCannotFreeze)`; authority not the freeze authority →
/// `Custom(OwnerMismatch)`; not signed → `MissingRequiredSignature`;
/// then the executor's data rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FreezeAccount;

impl FreezeAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 10;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_265;

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        vec![Self::DISCRIMINATOR]
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::toggle_freeze(ctx, true)
    }
}
