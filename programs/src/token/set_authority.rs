//! `SetAuthority` (6): change or remove an authority of a mint or a token
//! account.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};

use super::error::TokenError;
use super::shared;
use super::state::{Mint, TokenAccount};

/// Which authority [`SetAuthority`] changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AuthorityType {
    /// A mint's minting authority; removing it fixes the supply for good.
    MintTokens = 0,
    /// A mint's freeze authority; removing it for good too.
    FreezeAccount = 1,
    /// A token account's owner.
    AccountOwner = 2,
    /// A token account's close authority.
    CloseAccount = 3,
}

impl TryFrom<u8> for AuthorityType {
    type Error = InstructionError;

    /// The authority type with byte `b`; `Custom(InvalidInstruction)` over 3.
    fn try_from(b: u8) -> Result<Self, InstructionError> {
        match b {
            0 => Ok(Self::MintTokens),
            1 => Ok(Self::FreezeAccount),
            2 => Ok(Self::AccountOwner),
            3 => Ok(Self::CloseAccount),
            _ => Err(TokenError::InvalidInstruction.into()),
        }
    }
}

/// Set (or, with `None`, remove) one authority of a mint or a token
/// account, signed by the current authority. Which it is, is told by the
/// data length: 165 bytes a token account, 82 a mint.
///
/// Setting a new account owner also clears the delegate and, for a native
/// account, the close authority.
///
/// Accounts:
///   0. `[WRITE]` The mint or token account
///   1. `[SIGNER]` Its current authority
///
/// Errors, in SPL Token's order: `NotEnoughAccountKeys`; data neither 165
/// nor 82 bytes → `InvalidArgument`; not initialized → `InvalidAccountData`
/// / `UninitializedAccount`. For an account: frozen →
/// `Custom(AccountFrozen)`; a mint authority type →
/// `Custom(AuthorityTypeNotSupported)`; authority mismatch →
/// `Custom(OwnerMismatch)`; not signed → `MissingRequiredSignature`; no new
/// owner → `Custom(InvalidInstruction)`. For a mint: an account authority
/// type → `Custom(AuthorityTypeNotSupported)`; mint authority already
/// removed → `Custom(FixedSupply)`; freeze authority already removed →
/// `Custom(MintCannotFreeze)`; authority mismatch → `Custom(OwnerMismatch)`;
/// not signed → `MissingRequiredSignature`. Then the executor's data rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetAuthority {
    /// The authority to change.
    pub authority_type: AuthorityType,
    /// The new authority; `None` removes it.
    pub new_authority: Option<Pubkey>,
}

impl SetAuthority {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 6;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 3_167;

    /// Decode the bytes after the tag: the authority type byte and the new
    /// authority as a 1-byte tag plus key.
    pub fn unpack(rest: &[u8]) -> Result<Self, InstructionError> {
        let (&authority_type, rest) = rest.split_first().ok_or(TokenError::InvalidInstruction)?;
        let authority_type = AuthorityType::try_from(authority_type)?;
        let (new_authority, _) = shared::unpack_pubkey_option(rest)?;
        Ok(Self {
            authority_type,
            new_authority,
        })
    }

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        let mut buf = Vec::with_capacity(35);
        buf.push(Self::DISCRIMINATOR);
        buf.push(self.authority_type as u8);
        shared::pack_pubkey_option(&self.new_authority, &mut buf);
        buf
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        let authority_index = 1;
        shared::check_account_count(ctx, 2)?;
        let data_len = ctx.borrow_instruction_account(0)?.data().len();
        if data_len == TokenAccount::LEN {
            let mut account = shared::load_token_account(ctx, 0)?;
            if account.is_frozen() {
                return Err(TokenError::AccountFrozen.into());
            }
            match self.authority_type {
                AuthorityType::AccountOwner => {
                    shared::validate_owner(ctx, &account.owner, authority_index)?;
                    account.owner = self.new_authority.ok_or(TokenError::InvalidInstruction)?;
                    account.delegate = None;
                    account.delegated_amount = 0;
                    if account.is_native() {
                        account.close_authority = None;
                    }
                }
                AuthorityType::CloseAccount => {
                    let authority = account.close_authority.unwrap_or(account.owner);
                    shared::validate_owner(ctx, &authority, authority_index)?;
                    account.close_authority = self.new_authority;
                }
                AuthorityType::MintTokens | AuthorityType::FreezeAccount => {
                    return Err(TokenError::AuthorityTypeNotSupported.into());
                }
            }
            shared::store_token_account(ctx, 0, &account)
        } else if data_len == Mint::LEN {
            let mut mint = shared::load_mint(ctx, 0)?;
            match self.authority_type {
                AuthorityType::MintTokens => {
                    // A removed mint authority cannot come back.
                    let authority = mint.mint_authority.ok_or(TokenError::FixedSupply)?;
                    shared::validate_owner(ctx, &authority, authority_index)?;
                    mint.mint_authority = self.new_authority;
                }
                AuthorityType::FreezeAccount => {
                    // Nor can a removed freeze authority.
                    let authority = mint.freeze_authority.ok_or(TokenError::MintCannotFreeze)?;
                    shared::validate_owner(ctx, &authority, authority_index)?;
                    mint.freeze_authority = self.new_authority;
                }
                AuthorityType::AccountOwner | AuthorityType::CloseAccount => {
                    return Err(TokenError::AuthorityTypeNotSupported.into());
                }
            }
            shared::store_mint(ctx, 0, &mint)
        } else {
            Err(InstructionError::InvalidArgument)
        }
    }
}
