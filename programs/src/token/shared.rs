//! Checks and state access shared by the token instructions, each the
//! counterpart of a helper in SPL Token's `processor.rs`, with its order of
//! checks and its errors.

use baton_executor::InvokeContext;
use baton_types::{ids, InstructionError, Pubkey};

use super::state::{Mint, TokenAccount};

/// `NotEnoughAccountKeys` unless the instruction has at least `n` accounts
/// (SPL's `next_account_info` running out).
pub(crate) fn check_account_count(
    ctx: &InvokeContext<'_>,
    n: usize,
) -> Result<(), InstructionError> {
    if ctx.instruction_account_count() < n {
        return Err(InstructionError::NotEnoughAccountKeys);
    }
    Ok(())
}

/// The key of instruction account `i`.
pub(crate) fn key(ctx: &InvokeContext<'_>, i: usize) -> Result<Pubkey, InstructionError> {
    ctx.instruction_account_key(i).copied()
}

/// Read instruction account `i` as an initialized token account (SPL's
/// `Account::unpack`): `InvalidAccountData` for a wrong length or bad
/// bytes, `UninitializedAccount` before initialization. The borrow ends
/// before this returns, so aliased accounts can be read one after another.
pub(crate) fn load_token_account(
    ctx: &InvokeContext<'_>,
    i: usize,
) -> Result<TokenAccount, InstructionError> {
    TokenAccount::unpack(ctx.borrow_instruction_account(i)?.data())
}

/// Read instruction account `i` as an initialized mint (SPL's
/// `Mint::unpack`), with the errors of [`load_token_account`].
pub(crate) fn load_mint(ctx: &InvokeContext<'_>, i: usize) -> Result<Mint, InstructionError> {
    Mint::unpack(ctx.borrow_instruction_account(i)?.data())
}

/// Write `account` into instruction account `i`, under the executor's data
/// rules (`ReadonlyDataModified`, `ExternalAccountDataModified`).
pub(crate) fn store_token_account(
    ctx: &InvokeContext<'_>,
    i: usize,
    account: &TokenAccount,
) -> Result<(), InstructionError> {
    let mut borrowed = ctx.borrow_instruction_account(i)?;
    account.pack(borrowed.data_mut()?)
}

/// Write `mint` into instruction account `i`, as [`store_token_account`].
pub(crate) fn store_mint(
    ctx: &InvokeContext<'_>,
    i: usize,
    mint: &Mint,
) -> Result<(), InstructionError> {
    let mut borrowed = ctx.borrow_instruction_account(i)?;
    mint.pack(borrowed.data_mut()?)
}

/// SPL's `validate_owner`: the authority at instruction account
/// `authority` must be `expected` (`Custom(OwnerMismatch)`) and must have
/// signed (`MissingRequiredSignature`).
///
/// Multisig authorities are not supported: SPL Token lets an authority that
/// is a 355-byte multisig account owned by the token program be satisfied
/// by M of its N signers passed after the fixed accounts; Baton treats
/// every authority as a plain key that must sign itself.
pub(crate) fn validate_owner(
    ctx: &InvokeContext<'_>,
    expected: &Pubkey,
    authority: usize,
) -> Result<(), InstructionError> {
    if key(ctx, authority)? != *expected {
        return Err(super::TokenError::OwnerMismatch.into());
    }
    if !ctx.instruction_account(authority)?.is_signer {
        return Err(InstructionError::MissingRequiredSignature);
    }
    Ok(())
}

/// SPL's `check_account_owner`: instruction account `i` must be owned by
/// the running program, else `IncorrectProgramId`.
pub(crate) fn check_account_owner(
    ctx: &InvokeContext<'_>,
    i: usize,
) -> Result<(), InstructionError> {
    if *ctx.borrow_instruction_account(i)?.owner() != ctx.program_id() {
        return Err(InstructionError::IncorrectProgramId);
    }
    Ok(())
}

/// SPL's `Rent::from_account_info`: instruction account `i` must be the
/// Rent sysvar, else `InvalidArgument`. The values come from the sysvar
/// cache ([`InvokeContext::rent`]), not from the account's data.
pub(crate) fn check_rent_sysvar(ctx: &InvokeContext<'_>, i: usize) -> Result<(), InstructionError> {
    if key(ctx, i)? != ids::SYSVAR_RENT {
        return Err(InstructionError::InvalidArgument);
    }
    Ok(())
}

/// Read `amount` and decimals after a tag, as SPL's
/// `unpack_amount_decimals`; trailing bytes are ignored.
pub(crate) fn unpack_amount_decimals(rest: &[u8]) -> Result<(u64, u8), InstructionError> {
    let amount = unpack_u64(rest)?;
    let decimals = *rest.get(8).ok_or(super::TokenError::InvalidInstruction)?;
    Ok((amount, decimals))
}

/// Read a little-endian u64 at the start of `rest`; trailing bytes are
/// ignored. `Custom(InvalidInstruction)` if it is shorter.
pub(crate) fn unpack_u64(rest: &[u8]) -> Result<u64, InstructionError> {
    rest.get(..8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| super::TokenError::InvalidInstruction.into())
}

/// Read a key at the start of `rest`, returning it and what follows.
pub(crate) fn unpack_pubkey(rest: &[u8]) -> Result<(Pubkey, &[u8]), InstructionError> {
    let bytes = rest
        .get(..32)
        .and_then(|s| <[u8; 32]>::try_from(s).ok())
        .ok_or(super::TokenError::InvalidInstruction)?;
    Ok((Pubkey::new_from_array(bytes), rest.get(32..).unwrap_or(&[])))
}

/// Read an optional key as SPL's instruction encoding has it: a 1-byte tag
/// (0 none, 1 some) and, when some, the key.
pub(crate) fn unpack_pubkey_option(
    rest: &[u8],
) -> Result<(Option<Pubkey>, &[u8]), InstructionError> {
    match rest.split_first() {
        Some((0, rest)) => Ok((None, rest)),
        Some((1, rest)) if rest.len() >= 32 => {
            let (key, rest) = unpack_pubkey(rest)?;
            Ok((Some(key), rest))
        }
        _ => Err(super::TokenError::InvalidInstruction.into()),
    }
}

/// Append an optional key in SPL's instruction encoding.
pub(crate) fn pack_pubkey_option(key: &Option<Pubkey>, buf: &mut Vec<u8>) {
    match key {
        Some(key) => {
            buf.push(1);
            buf.extend_from_slice(key.as_ref());
        }
        None => buf.push(0),
    }
}

/// Encode a tag and an amount, as `Transfer`, `Approve`, `MintTo`, `Burn`.
pub(crate) fn pack_amount(tag: u8, amount: u64) -> Vec<u8> {
    let mut buf = Vec::with_capacity(9);
    buf.push(tag);
    buf.extend_from_slice(&amount.to_le_bytes());
    buf
}

/// Encode a tag, an amount and decimals, as every `*Checked` instruction.
pub(crate) fn pack_amount_decimals(tag: u8, amount: u64, decimals: u8) -> Vec<u8> {
    let mut buf = pack_amount(tag, amount);
    buf.push(decimals);
    buf
}

/// SPL's `process_toggle_freeze_account`: freeze (`freeze`) or thaw
/// account 0 under the freeze authority of mint 1, signed by account 2.
pub(crate) fn toggle_freeze(ctx: &InvokeContext<'_>, freeze: bool) -> Result<(), InstructionError> {
    use super::state::AccountState;
    use super::TokenError;

    check_account_count(ctx, 3)?;
    let mut source = load_token_account(ctx, 0)?;
    if freeze == source.is_frozen() {
        return Err(TokenError::InvalidState.into());
    }
    if source.is_native() {
        return Err(TokenError::NativeNotSupported.into());
    }
    if key(ctx, 1)? != source.mint {
        return Err(TokenError::MintMismatch.into());
    }
    let mint = load_mint(ctx, 1)?;
    match mint.freeze_authority {
        Some(authority) => validate_owner(ctx, &authority, 2)?,
        None => return Err(TokenError::MintCannotFreeze.into()),
    }
    source.state = if freeze {
        AccountState::Frozen
    } else {
        AccountState::Initialized
    };
    store_token_account(ctx, 0, &source)
}
