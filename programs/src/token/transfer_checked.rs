//! `TransferChecked` (12): [`Transfer`](super::Transfer) that also names the
//! mint and its decimals.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::shared;
use super::transfer::transfer;

/// Transfer `amount` tokens, checking that the mint is the accounts' mint
/// and has `decimals` decimals: a safeguard for wallets and hardware signers.
///
/// Accounts:
///   0. `[WRITE]` Source account
///   1. `[]` The token mint
///   2. `[WRITE]` Destination account
///   3. `[SIGNER]` Source account's owner or delegate
///
/// Errors: those of [`Transfer`](super::Transfer), and after the mint check
/// of the accounts: mint not the accounts' mint → `Custom(MintMismatch)`;
/// mint not an initialized mint → `InvalidAccountData` /
/// `UninitializedAccount`; other decimals → `Custom(MintDecimalsMismatch)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferChecked {
    /// Tokens to move.
    pub amount: u64,
    /// The mint's decimals, as the signer expects them.
    pub decimals: u8,
}

impl TransferChecked {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 12;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 6_201;

    /// Decode the bytes after the tag: the amount (u64 little-endian) and
    /// the decimals.
    pub fn unpack(rest: &[u8]) -> Result<Self, InstructionError> {
        let (amount, decimals) = shared::unpack_amount_decimals(rest)?;
        Ok(Self { amount, decimals })
    }

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        shared::pack_amount_decimals(Self::DISCRIMINATOR, self.amount, self.decimals)
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        transfer(ctx, self.amount, Some(self.decimals))
    }
}
