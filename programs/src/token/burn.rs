//! `Burn` (8): destroy tokens held in an account.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::error::TokenError;
use super::shared;

/// Burn `amount` tokens from the source account, signed by its owner or
/// delegate (which spends from the delegated amount); the supply shrinks by
/// as much. Tokens of an account owned by the system program or the
/// incinerator may be burnt by anyone.
///
/// Accounts:
///   0. `[WRITE]` Source account
///   1. `[WRITE]` The token mint
///   2. `[SIGNER]` Source account's owner or delegate
///
/// Errors, in SPL Token's order: `NotEnoughAccountKeys`; source not an
/// initialized token account, then mint not an initialized mint →
/// `InvalidAccountData` / `UninitializedAccount`; frozen →
/// `Custom(AccountFrozen)`; native → `Custom(NativeNotSupported)`; balance
/// below `amount` → `Custom(InsufficientFunds)`; mint not the source's mint
/// → `Custom(MintMismatch)`; authority not the owner (nor the delegate) →
/// `Custom(OwnerMismatch)`; not signed → `MissingRequiredSignature`;
/// delegated amount below `amount` → `Custom(InsufficientFunds)`; for a zero
/// amount, an account not owned by the token program → `IncorrectProgramId`;
/// then the executor's data rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Burn {
    /// Tokens to destroy.
    pub amount: u64,
}

impl Burn {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 8;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_753;

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
        burn(ctx, self.amount, None)
    }
}

/// SPL's `process_burn`; `expected_decimals` is set for `BurnChecked`.
pub(crate) fn burn(
    ctx: &InvokeContext<'_>,
    amount: u64,
    expected_decimals: Option<u8>,
) -> Result<(), InstructionError> {
    let (source_index, mint_index, authority_index) = (0, 1, 2);
    shared::check_account_count(ctx, 3)?;

    let mut source = shared::load_token_account(ctx, source_index)?;
    let mut mint = shared::load_mint(ctx, mint_index)?;
    if source.is_frozen() {
        return Err(TokenError::AccountFrozen.into());
    }
    if source.is_native() {
        return Err(TokenError::NativeNotSupported.into());
    }
    if source.amount < amount {
        return Err(TokenError::InsufficientFunds.into());
    }
    if shared::key(ctx, mint_index)? != source.mint {
        return Err(TokenError::MintMismatch.into());
    }
    if let Some(expected_decimals) = expected_decimals {
        if expected_decimals != mint.decimals {
            return Err(TokenError::MintDecimalsMismatch.into());
        }
    }

    if !source.is_owned_by_system_program_or_incinerator() {
        let authority = shared::key(ctx, authority_index)?;
        match source.delegate {
            Some(delegate) if authority == delegate => {
                shared::validate_owner(ctx, &delegate, authority_index)?;
                if source.delegated_amount < amount {
                    return Err(TokenError::InsufficientFunds.into());
                }
                source.delegated_amount = source
                    .delegated_amount
                    .checked_sub(amount)
                    .ok_or(TokenError::Overflow)?;
                if source.delegated_amount == 0 {
                    source.delegate = None;
                }
            }
            _ => shared::validate_owner(ctx, &source.owner, authority_index)?,
        }
    }
    if amount == 0 {
        shared::check_account_owner(ctx, source_index)?;
        shared::check_account_owner(ctx, mint_index)?;
    }

    source.amount = source
        .amount
        .checked_sub(amount)
        .ok_or(TokenError::Overflow)?;
    mint.supply = mint
        .supply
        .checked_sub(amount)
        .ok_or(TokenError::Overflow)?;
    shared::store_token_account(ctx, source_index, &source)?;
    shared::store_mint(ctx, mint_index, &mint)
}
