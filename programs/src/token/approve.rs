//! `Approve` (4): let a delegate spend up to an amount of an account's
//! tokens.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::error::TokenError;
use super::shared;

/// Set the source account's delegate and its allowance, replacing any
/// previous delegate and allowance.
///
/// Accounts:
///   0. `[WRITE]` Source account
///   1. `[]` The delegate
///   2. `[SIGNER]` Source account's owner
///
/// Errors: `NotEnoughAccountKeys`; source not an initialized token account
/// → `InvalidAccountData` / `UninitializedAccount`; frozen →
/// `Custom(AccountFrozen)`; authority not the owner →
/// `Custom(OwnerMismatch)`; not signed → `MissingRequiredSignature`; then
/// the executor's data rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approve {
    /// Tokens the delegate may spend.
    pub amount: u64,
}

impl Approve {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 4;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 2_904;

    /// Decode the bytes after the tag: the amount, u64 little-endian.
    pub fn unpack(rest: &[u8]) -> Result<Self, InstructionError> {
        Ok(Self {
            amount: shared::unpack_u64(rest)?,
        })
    }

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        shared::pack_amount(Self::DISCRIMINATOR, self.amount)
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        approve(ctx, self.amount, None)
    }
}

/// SPL's `process_approve`; `expected_decimals` is set for
/// `ApproveChecked`, whose account 1 is the mint.
pub(crate) fn approve(
    ctx: &InvokeContext<'_>,
    amount: u64,
    expected_decimals: Option<u8>,
) -> Result<(), InstructionError> {
    let (mint_index, delegate_index, owner_index) = match expected_decimals {
        Some(_) => (Some(1), 2, 3),
        None => (None, 1, 2),
    };
    shared::check_account_count(ctx, owner_index + 1)?;

    let mut source = shared::load_token_account(ctx, 0)?;
    if source.is_frozen() {
        return Err(TokenError::AccountFrozen.into());
    }
    if let (Some(mint_index), Some(expected_decimals)) = (mint_index, expected_decimals) {
        if shared::key(ctx, mint_index)? != source.mint {
            return Err(TokenError::MintMismatch.into());
        }
        let mint = shared::load_mint(ctx, mint_index)?;
        if expected_decimals != mint.decimals {
            return Err(TokenError::MintDecimalsMismatch.into());
        }
    }
    shared::validate_owner(ctx, &source.owner, owner_index)?;

    source.delegate = Some(shared::key(ctx, delegate_index)?);
    source.delegated_amount = amount;
    shared::store_token_account(ctx, 0, &source)
}
