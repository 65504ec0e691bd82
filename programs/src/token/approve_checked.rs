//! `ApproveChecked` (13): [`Approve`](super::Approve) that also names the
//! mint and its decimals.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::approve::approve;
use super::shared;

/// Approve a delegate, checking the mint and its decimals.
///
/// Accounts:
///   0. `[WRITE]` Source account
///   1. `[]` The token mint
///   2. `[]` The delegate
///   3. `[SIGNER]` Source account's owner
///
/// Errors: those of [`Approve`](super::Approve), and after the frozen check:
/// mint not the account's mint → `Custom(MintMismatch)`; mint not an
/// initialized mint → `InvalidAccountData` / `UninitializedAccount`; other
/// decimals → `Custom(MintDecimalsMismatch)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApproveChecked {
    /// Tokens the delegate may spend.
    pub amount: u64,
    /// The mint's decimals, as the signer expects them.
    pub decimals: u8,
}

impl ApproveChecked {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 13;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_459;

    /// Decode the bytes after the tag: the amount and the decimals.
    pub fn unpack(rest: &[u8]) -> Result<Self, InstructionError> {
        let (amount, decimals) = shared::unpack_amount_decimals(rest)?;
        Ok(Self { amount, decimals })
    }

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        shared::pack_amount_decimals(Self::DISCRIMINATOR, self.amount, self.decimals)
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        approve(ctx, self.amount, Some(self.decimals))
    }
}
