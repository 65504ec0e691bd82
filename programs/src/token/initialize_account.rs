//! `InitializeAccount` (1): initialize a token account, the owner passed
//! as an account and rent read from the Rent sysvar account.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};

use super::error::TokenError;
use super::shared;
use super::state::{AccountState, Mint, TokenAccount, NATIVE_MINT};

/// Initialize a new token account for a mint and an owner. The account must
/// already exist with [`TokenAccount::LEN`] bytes of data, be owned by the
/// token program and be rent exempt.
///
/// Accounts:
///   0. `[WRITE]` The account to initialize
///   1. `[]` The mint
///   2. `[]` The new account's owner
///   3. `[]` The Rent sysvar
///
/// Errors: `NotEnoughAccountKeys`; account 3 not the Rent sysvar →
/// `InvalidArgument`; account data not 165 valid bytes →
/// `InvalidAccountData`; already initialized → `Custom(AlreadyInUse)`; not
/// rent exempt → `Custom(NotRentExempt)`; a mint not owned by the token
/// program → `IncorrectProgramId`; a mint that is not an initialized mint →
/// `Custom(InvalidMint)`; then the executor's data rules. For the native
/// mint the account becomes a wrapped-SOL account whose amount is its
/// lamports above the rent-exempt reserve.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InitializeAccount;

impl InitializeAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 1;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_527;

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        vec![Self::DISCRIMINATOR]
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        initialize_account(ctx, None, true)
    }
}

/// SPL's `_process_initialize_account`: `owner` from the data, or (when
/// `None`) the key of account 2; `rent_sysvar_account` says whether the
/// Rent sysvar account follows.
pub(crate) fn initialize_account(
    ctx: &InvokeContext<'_>,
    owner: Option<Pubkey>,
    rent_sysvar_account: bool,
) -> Result<(), InstructionError> {
    shared::check_account_count(ctx, 2)?;
    let mint_key = shared::key(ctx, 1)?;
    let (owner, next) = match owner {
        Some(owner) => (owner, 2),
        None => {
            shared::check_account_count(ctx, 3)?;
            (shared::key(ctx, 2)?, 3)
        }
    };
    if rent_sysvar_account {
        shared::check_account_count(ctx, next + 1)?;
        shared::check_rent_sysvar(ctx, next)?;
    }

    let (mut account, lamports, data_len) = {
        let borrowed = ctx.borrow_instruction_account(0)?;
        (
            TokenAccount::unpack_unchecked(borrowed.data())?,
            borrowed.lamports(),
            borrowed.data().len(),
        )
    };
    if account.is_initialized() {
        return Err(TokenError::AlreadyInUse.into());
    }
    let rent = ctx.rent();
    if !rent.is_exempt(lamports, data_len) {
        return Err(TokenError::NotRentExempt.into());
    }

    let is_native_mint = mint_key == NATIVE_MINT;
    if !is_native_mint {
        shared::check_account_owner(ctx, 1)?;
        let borrowed = ctx.borrow_instruction_account(1)?;
        Mint::unpack(borrowed.data()).map_err(|_| TokenError::InvalidMint)?;
    }

    account.mint = mint_key;
    account.owner = owner;
    account.close_authority = None;
    account.delegate = None;
    account.delegated_amount = 0;
    account.state = AccountState::Initialized;
    if is_native_mint {
        let reserve = rent.minimum_balance(data_len);
        account.is_native = Some(reserve);
        account.amount = lamports.checked_sub(reserve).ok_or(TokenError::Overflow)?;
    } else {
        account.is_native = None;
        account.amount = 0;
    }
    shared::store_token_account(ctx, 0, &account)
}
