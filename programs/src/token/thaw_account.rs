//! `ThawAccount` (11): thaw a frozen token account.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::shared;

/// Thaw a frozen account, making it usable again. Signed by the mint's freeze authority.
///
/// Accounts:
///   0. `[WRITE]` The account to thaw
///   1. `[]` The token mint
///   2. `[SIGNER]` The mint's freeze authority
///
/// Errors, in SPL Token's order: `NotEnoughAccountKeys`; not an
/// initialized token account → `InvalidAccountData` /
/// `UninitializedAccount`; not frozen → `Custom(InvalidState)`; native →
/// `Custom(NativeNotSupported)`; mint not the account's mint →
/// `Custom(MintMismatch)`; mint not an initialized mint →
/// `InvalidAccountData` / `UninitializedAccount`; no freeze authority →
/// `Custom(MintCannotFreeze)`; authority not the freeze authority →
/// `Custom(OwnerMismatch)`; not signed → `MissingRequiredSignature`;
/// then the executor's data rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThawAccount;

impl ThawAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 11;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_267;

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        vec![Self::DISCRIMINATOR]
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::toggle_freeze(ctx, false)
    }
}
