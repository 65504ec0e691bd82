//! `MintToChecked` (14): [`MintTo`](super::MintTo) that also names the
//! mint's decimals.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::mint_to::mint_to;
use super::shared;

/// Mint tokens, checking the mint's decimals.
///
/// Accounts:
///   0. `[WRITE]` The mint
///   1. `[WRITE]` Destination account
///   2. `[SIGNER]` The mint's minting authority
///
/// Errors: those of [`MintTo`](super::MintTo), and after the mint is read:
/// other decimals → `Custom(MintDecimalsMismatch)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MintToChecked {
    /// Tokens to create.
    pub amount: u64,
    /// The mint's decimals, as the signer expects them.
    pub decimals: u8,
}

impl MintToChecked {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 14;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_546;

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
        mint_to(ctx, self.amount, Some(self.decimals))
    }
}
