//! `MintTo` (7): create new tokens in an account.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::error::TokenError;
use super::shared;

/// Mint `amount` new tokens into the destination account, signed by the
/// mint authority; the supply grows by as much.
///
/// Accounts:
///   0. `[WRITE]` The mint
///   1. `[WRITE]` Destination account
///   2. `[SIGNER]` The mint's minting authority
///
/// Errors, in SPL Token's order: `NotEnoughAccountKeys`; destination not an
/// initialized token account → `InvalidAccountData` /
/// `UninitializedAccount`; frozen → `Custom(AccountFrozen)`; native →
/// `Custom(NativeNotSupported)`; mint not the destination's mint →
/// `Custom(MintMismatch)`; mint not an initialized mint →
/// `InvalidAccountData` / `UninitializedAccount`; no mint authority →
/// `Custom(FixedSupply)`; authority not the mint authority →
/// `Custom(OwnerMismatch)`; not signed → `MissingRequiredSignature`; for a
/// zero amount, an account not owned by the token program →
/// `IncorrectProgramId`; balance or supply overflow → `Custom(Overflow)`;
/// then the executor's data rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MintTo {
    /// Tokens to create.
    pub amount: u64,
}

impl MintTo {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 7;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_538;

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
        mint_to(ctx, self.amount, None)
    }
}

/// SPL's `process_mint_to`; `expected_decimals` is set for `MintToChecked`.
pub(crate) fn mint_to(
    ctx: &InvokeContext<'_>,
    amount: u64,
    expected_decimals: Option<u8>,
) -> Result<(), InstructionError> {
    let (mint_index, destination_index, authority_index) = (0, 1, 2);
    shared::check_account_count(ctx, 3)?;

    let mut destination = shared::load_token_account(ctx, destination_index)?;
    if destination.is_frozen() {
        return Err(TokenError::AccountFrozen.into());
    }
    if destination.is_native() {
        return Err(TokenError::NativeNotSupported.into());
    }
    if shared::key(ctx, mint_index)? != destination.mint {
        return Err(TokenError::MintMismatch.into());
    }
    let mut mint = shared::load_mint(ctx, mint_index)?;
    if let Some(expected_decimals) = expected_decimals {
        if expected_decimals != mint.decimals {
            return Err(TokenError::MintDecimalsMismatch.into());
        }
    }
    match mint.mint_authority {
        Some(mint_authority) => shared::validate_owner(ctx, &mint_authority, authority_index)?,
        None => return Err(TokenError::FixedSupply.into()),
    }
    if amount == 0 {
        shared::check_account_owner(ctx, mint_index)?;
        shared::check_account_owner(ctx, destination_index)?;
    }

    destination.amount = destination
        .amount
        .checked_add(amount)
        .ok_or(TokenError::Overflow)?;
    mint.supply = mint
        .supply
        .checked_add(amount)
        .ok_or(TokenError::Overflow)?;
    shared::store_token_account(ctx, destination_index, &destination)?;
    shared::store_mint(ctx, mint_index, &mint)
}
