//! `InitializeMint` (0): initialize a mint, reading rent from the Rent
//! sysvar account.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};

use super::error::TokenError;
use super::shared;
use super::state::Mint;

/// Initialize a new mint. The account must already exist with
/// [`Mint::LEN`] bytes of data, be owned by the token program and be rent
/// exempt; do it in the same transaction as the account's creation.
///
/// Accounts:
///   0. `[WRITE]` The mint to initialize
///   1. `[]` The Rent sysvar
///
/// Errors: `NotEnoughAccountKeys`; account 1 not the Rent sysvar →
/// `InvalidArgument`; mint data not 82 valid bytes → `InvalidAccountData`;
/// already initialized → `Custom(AlreadyInUse)`; not rent exempt →
/// `Custom(NotRentExempt)`; then the executor's data rules
/// (`ExternalAccountDataModified` when the token program does not own the
/// mint, `ReadonlyDataModified`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitializeMint {
    /// Decimal places of the display amount.
    pub decimals: u8,
    /// The key that may mint tokens.
    pub mint_authority: Pubkey,
    /// The key that may freeze token accounts, if any.
    pub freeze_authority: Option<Pubkey>,
}

impl InitializeMint {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 0;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 2_967;

    /// Decode the bytes after the tag: decimals, the mint authority, and the
    /// freeze authority as a 1-byte tag plus key.
    pub fn unpack(rest: &[u8]) -> Result<Self, InstructionError> {
        let (&decimals, rest) = rest.split_first().ok_or(TokenError::InvalidInstruction)?;
        let (mint_authority, rest) = shared::unpack_pubkey(rest)?;
        let (freeze_authority, _) = shared::unpack_pubkey_option(rest)?;
        Ok(Self {
            decimals,
            mint_authority,
            freeze_authority,
        })
    }

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        pack_mint_args(
            Self::DISCRIMINATOR,
            self.decimals,
            &self.mint_authority,
            &self.freeze_authority,
        )
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        initialize_mint(
            ctx,
            self.decimals,
            self.mint_authority,
            self.freeze_authority,
            true,
        )
    }
}

/// Encode the arguments of `InitializeMint` / `InitializeMint2`.
pub(crate) fn pack_mint_args(
    tag: u8,
    decimals: u8,
    mint_authority: &Pubkey,
    freeze_authority: &Option<Pubkey>,
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(67);
    buf.push(tag);
    buf.push(decimals);
    buf.extend_from_slice(mint_authority.as_ref());
    shared::pack_pubkey_option(freeze_authority, &mut buf);
    buf
}

/// SPL's `_process_initialize_mint`; `rent_sysvar_account` says whether
/// account 1 is the Rent sysvar.
pub(crate) fn initialize_mint(
    ctx: &InvokeContext<'_>,
    decimals: u8,
    mint_authority: Pubkey,
    freeze_authority: Option<Pubkey>,
    rent_sysvar_account: bool,
) -> Result<(), InstructionError> {
    shared::check_account_count(ctx, 1)?;
    if rent_sysvar_account {
        shared::check_account_count(ctx, 2)?;
        shared::check_rent_sysvar(ctx, 1)?;
    }
    let mut account = ctx.borrow_instruction_account(0)?;
    let mut mint = Mint::unpack_unchecked(account.data())?;
    if mint.is_initialized {
        return Err(TokenError::AlreadyInUse.into());
    }
    if !ctx
        .rent()
        .is_exempt(account.lamports(), account.data().len())
    {
        return Err(TokenError::NotRentExempt.into());
    }
    mint.mint_authority = Some(mint_authority);
    mint.decimals = decimals;
    mint.is_initialized = true;
    mint.freeze_authority = freeze_authority;
    mint.pack(account.data_mut()?)
}
