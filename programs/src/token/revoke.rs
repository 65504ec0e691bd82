//! `Revoke` (5): remove an account's delegate.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::error::TokenError;
use super::shared;

/// Clear the source account's delegate and allowance.
///
/// Accounts:
///   0. `[WRITE]` Source account
///   1. `[SIGNER]` Source account's owner
///
/// Errors, in SPL Token's order (the source is read before the owner
/// account is looked for): source not an initialized token account →
/// `InvalidAccountData` / `UninitializedAccount`; `NotEnoughAccountKeys`;
/// frozen → `Custom(AccountFrozen)`; authority not the owner →
/// `Custom(OwnerMismatch)`; not signed → `MissingRequiredSignature`; then
/// the executor's data rules. Only the owner may revoke, not the delegate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revoke;

impl Revoke {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 5;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 2_677;

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        vec![Self::DISCRIMINATOR]
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_account_count(ctx, 1)?;
        let mut source = shared::load_token_account(ctx, 0)?;
        shared::check_account_count(ctx, 2)?;
        if source.is_frozen() {
            return Err(TokenError::AccountFrozen.into());
        }
        shared::validate_owner(ctx, &source.owner, 1)?;
        source.delegate = None;
        source.delegated_amount = 0;
        shared::store_token_account(ctx, 0, &source)
    }
}
