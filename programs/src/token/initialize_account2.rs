//! `InitializeAccount2` (16): initialize a token account, the owner given
//! in the instruction data.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};

use super::initialize_account::initialize_account;
use super::shared;

/// Like [`InitializeAccount`](super::InitializeAccount), but the owner is
/// given in the data rather than as an account.
///
/// Accounts:
///   0. `[WRITE]` The account to initialize
///   1. `[]` The mint
///   2. `[]` The Rent sysvar
///
/// Errors: those of [`InitializeAccount`](super::InitializeAccount).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitializeAccount2 {
    /// The new account's owner.
    pub owner: Pubkey,
}

impl InitializeAccount2 {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 16;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 4_388;

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
        initialize_account(ctx, Some(self.owner), true)
    }
}
