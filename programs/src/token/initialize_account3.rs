//! `InitializeAccount3` (18): initialize a token account, the owner given
//! in the instruction data.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};

use super::initialize_account::initialize_account;
use super::shared;

/// Like [`InitializeAccount2`](super::InitializeAccount2), but without the
/// Rent sysvar account: rent comes from the runtime's sysvar.
///
/// Accounts:
///   0. `[WRITE]` The account to initialize
///   1. `[]` The mint
///
/// Errors: those of [`InitializeAccount`](super::InitializeAccount) less the
/// sysvar check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitializeAccount3 {
    /// The new account's owner.
    pub owner: Pubkey,
}

impl InitializeAccount3 {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 18;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_240;

    /// Decode the bytes after the tag: the owner's 32 bytes.
    pub fn unpack(rest: &[u8]) -> Result<Self, InstructionError> {
        let (owner, _) = shared::unpack_pubkey(rest)?;
        Ok(Self { owner })
    }

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        let mut buf = Vec::with_capacity(33);
        buf.push(Self::DISCRIMINATOR);
        buf.extend_from_slice(self.owner.as_ref());
        buf
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        initialize_account(ctx, Some(self.owner), false)
    }
}
