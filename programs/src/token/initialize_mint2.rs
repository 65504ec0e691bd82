//! `InitializeMint2` (20): initialize a mint without the Rent sysvar
//! account.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};

use super::initialize_mint::{initialize_mint, pack_mint_args, InitializeMint};

/// Like [`InitializeMint`], but rent comes from the runtime's Rent sysvar
/// and no sysvar account is passed.
///
/// Accounts:
///   0. `[WRITE]` The mint to initialize
///
/// Errors: those of [`InitializeMint`] less the sysvar check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitializeMint2 {
    /// Decimal places of the display amount.
    pub decimals: u8,
    /// The key that may mint tokens.
    pub mint_authority: Pubkey,
    /// The key that may freeze token accounts, if any.
    pub freeze_authority: Option<Pubkey>,
}

impl InitializeMint2 {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 20;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 2_827;

    /// Decode the bytes after the tag, as [`InitializeMint::unpack`].
    pub fn unpack(rest: &[u8]) -> Result<Self, InstructionError> {
        let InitializeMint {
            decimals,
            mint_authority,
            freeze_authority,
        } = InitializeMint::unpack(rest)?;
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
            false,
        )
    }
}
