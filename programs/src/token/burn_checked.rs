//! `BurnChecked` (15): [`Burn`](super::Burn) that also names the mint's
//! decimals.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::burn::burn;
use super::shared;

/// Burn tokens, checking the mint's decimals.
///
/// Accounts:
///   0. `[WRITE]` Source account
///   1. `[WRITE]` The token mint
///   2. `[SIGNER]` Source account's owner or delegate
///
/// Errors: those of [`Burn`](super::Burn), and after the mint check: other
/// decimals → `Custom(MintDecimalsMismatch)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurnChecked {
    /// Tokens to destroy.
    pub amount: u64,
    /// The mint's decimals, as the signer expects them.
    pub decimals: u8,
}

impl BurnChecked {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 15;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_755;

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
        burn(ctx, self.amount, Some(self.decimals))
    }
}
