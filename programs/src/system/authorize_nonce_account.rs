//! `AuthorizeNonceAccount` (7): change a nonce account's authority.

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::nonce::{self, Data, State, Versions};
use super::serde_bytes32;
use super::shared;

/// Make `authority` the authority of an initialized nonce account, keeping
/// its version, durable nonce and fee rate.
///
/// Accounts:
///   0. `[WRITE]` Nonce account
///   1. `[SIGNER]` Nonce authority
///
/// Errors: `MissingAccount`; the nonce account is read-only →
/// `InvalidArgument`; malformed data or uninitialized →
/// `InvalidAccountData`; the current authority did not sign →
/// `MissingRequiredSignature`; then the executor's data rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeNonceAccount {
    /// The new authority.
    #[serde(with = "serde_bytes32::pubkey")]
    pub authority: Pubkey,
}

impl AuthorizeNonceAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 7;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        if !account.is_writable() {
            ic_msg!(
                ctx,
                "Authorize nonce account: Account {} must be writeable",
                account.key()
            );
            return Err(InstructionError::InvalidArgument);
        }
        let versions = nonce::get_state(&account)?;
        let State::Initialized(data) = *versions.state() else {
            ic_msg!(
                ctx,
                "Authorize nonce account: Account {} state is invalid",
                account.key()
            );
            return Err(InstructionError::InvalidAccountData);
        };
        if !shared::is_signer_key(ctx, &data.authority)? {
            ic_msg!(
                ctx,
                "Authorize nonce account: Account {} must sign",
                data.authority
            );
            return Err(InstructionError::MissingRequiredSignature);
        }
        let state = State::Initialized(Data::new(
            self.authority,
            data.durable_nonce,
            data.lamports_per_signature(),
        ));
        // The version stays: the durable nonce cannot change here.
        let new = match versions {
            Versions::Legacy(_) => Versions::Legacy(state),
            Versions::Current(_) => Versions::Current(state),
        };
        nonce::set_state(&mut account, &new)
    }
}
