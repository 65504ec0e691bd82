//! `Transfer` (3): move tokens between accounts of the same mint.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::error::TokenError;
use super::shared;

/// Transfer `amount` tokens from the source account to the destination,
/// signed by the source's owner or by its delegate (which spends from the
/// delegated amount; at zero the delegate is cleared).
///
/// Accounts:
///   0. `[WRITE]` Source account
///   1. `[WRITE]` Destination account
///   2. `[SIGNER]` Source account's owner or delegate
///
/// Errors, in SPL Token's order: `NotEnoughAccountKeys`; either account not
/// 165 valid bytes → `InvalidAccountData`, not initialized →
/// `UninitializedAccount`; either frozen → `Custom(AccountFrozen)`; source
/// balance below `amount` → `Custom(InsufficientFunds)`; different mints →
/// `Custom(MintMismatch)`; authority not the owner (nor the delegate) →
/// `Custom(OwnerMismatch)`; authority did not sign →
/// `MissingRequiredSignature`; delegated amount below `amount` →
/// `Custom(InsufficientFunds)`; for a self-transfer or a zero amount, an
/// account not owned by the token program → `IncorrectProgramId`; then the
/// executor's data rules. A self-transfer (source = destination) is
/// validated in full and changes nothing, not even the delegated amount.
/// For a native account the lamports move with the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer {
    /// Tokens to move.
    pub amount: u64,
}

impl Transfer {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 3;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_645;

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
        transfer(ctx, self.amount, None)
    }
}

/// SPL's `process_transfer`; `expected_decimals` is set for
/// `TransferChecked`, whose account 1 is the mint.
pub(crate) fn transfer(
    ctx: &InvokeContext<'_>,
    amount: u64,
    expected_decimals: Option<u8>,
) -> Result<(), InstructionError> {
    let source_index = 0;
    let (mint_index, destination_index, authority_index) = match expected_decimals {
        Some(_) => (Some(1), 2, 3),
        None => (None, 1, 2),
    };
    shared::check_account_count(ctx, authority_index + 1)?;

    let mut source = shared::load_token_account(ctx, source_index)?;
    let mut destination = shared::load_token_account(ctx, destination_index)?;
    if source.is_frozen() || destination.is_frozen() {
        return Err(TokenError::AccountFrozen.into());
    }
    if source.amount < amount {
        return Err(TokenError::InsufficientFunds.into());
    }
    if source.mint != destination.mint {
        return Err(TokenError::MintMismatch.into());
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

    // Compare keys rather than borrowing twice: a self-transfer names the
    // same transaction account at both positions.
    let self_transfer = shared::key(ctx, source_index)? == shared::key(ctx, destination_index)?;
    let authority = shared::key(ctx, authority_index)?;
    match source.delegate {
        Some(delegate) if authority == delegate => {
            shared::validate_owner(ctx, &delegate, authority_index)?;
            if source.delegated_amount < amount {
                return Err(TokenError::InsufficientFunds.into());
            }
            if !self_transfer {
                source.delegated_amount = source
                    .delegated_amount
                    .checked_sub(amount)
                    .ok_or(TokenError::Overflow)?;
                if source.delegated_amount == 0 {
                    source.delegate = None;
                }
            }
        }
        _ => shared::validate_owner(ctx, &source.owner, authority_index)?,
    }

    if self_transfer || amount == 0 {
        shared::check_account_owner(ctx, source_index)?;
        shared::check_account_owner(ctx, destination_index)?;
    }
    // Only now, with every check run, may a self-transfer stop.
    if self_transfer {
        return Ok(());
    }

    source.amount = source
        .amount
        .checked_sub(amount)
        .ok_or(TokenError::Overflow)?;
    destination.amount = destination
        .amount
        .checked_add(amount)
        .ok_or(TokenError::Overflow)?;

    if source.is_native() {
        let mut from = ctx.borrow_instruction_account(source_index)?;
        let lamports = from
            .lamports()
            .checked_sub(amount)
            .ok_or(TokenError::Overflow)?;
        from.set_lamports(lamports)?;
        drop(from);
        let mut to = ctx.borrow_instruction_account(destination_index)?;
        let lamports = to
            .lamports()
            .checked_add(amount)
            .ok_or(TokenError::Overflow)?;
        to.set_lamports(lamports)?;
    }

    shared::store_token_account(ctx, source_index, &source)?;
    shared::store_token_account(ctx, destination_index, &destination)
}
