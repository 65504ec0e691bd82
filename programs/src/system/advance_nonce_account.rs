//! `AdvanceNonceAccount` (4): replace a stored durable nonce.

use baton_executor::InvokeContext;
use baton_types::{ids, InstructionError};
use serde::{Deserialize, Serialize};

use super::error::SystemError;
use super::nonce::{self, Data, State, Versions};
use super::shared;

/// Consume the stored nonce, replacing it with the durable nonce of the
/// current blockhash (the newest RecentBlockhashes entry) and its fee rate.
///
/// Accounts:
///   0. `[WRITE]` Nonce account
///   1. `[]` RecentBlockhashes sysvar
///   2. `[SIGNER]` Nonce authority
///
/// Errors: `MissingAccount` (for account 0 or the sysvar); account 1
/// is not the RecentBlockhashes sysvar → `InvalidArgument`; the sysvar is
/// empty → `Custom(NonceNoRecentBlockhashes)`; the nonce account is
/// read-only → `InvalidArgument`; its data is no nonce state, or it is
/// uninitialized → `InvalidAccountData`; the authority did not sign →
/// `MissingRequiredSignature`; the stored nonce already derives from the
/// current blockhash → `Custom(NonceBlockhashNotExpired)`; then the
/// executor's data rules (`ExternalAccountDataModified` for an account the
/// system program does not own). The result is always the current version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvanceNonceAccount;

impl AdvanceNonceAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 4;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        shared::check_sysvar_account(ctx, 1, &ids::SYSVAR_RECENT_BLOCKHASHES)?;
        if ctx.recent_blockhashes().0.is_empty() {
            ic_msg!(ctx, "Advance nonce account: recent blockhash list is empty");
            return Err(SystemError::NonceNoRecentBlockhashes.into());
        }
        if !account.is_writable() {
            ic_msg!(
                ctx,
                "Advance nonce account: Account {} must be writeable",
                account.key()
            );
            return Err(InstructionError::InvalidArgument);
        }
        match *nonce::get_state(&account)?.state() {
            State::Initialized(data) => {
                if !shared::is_signer_key(ctx, &data.authority)? {
                    ic_msg!(
                        ctx,
                        "Advance nonce account: Account {} must be a signer",
                        data.authority
                    );
                    return Err(InstructionError::MissingRequiredSignature);
                }
                let (blockhash, lamports_per_signature) = shared::current_blockhash(ctx);
                let next = nonce::durable_nonce_from_blockhash(&blockhash);
                if data.durable_nonce == next {
                    ic_msg!(
                        ctx,
                        "Advance nonce account: nonce can only advance once per slot"
                    );
                    return Err(SystemError::NonceBlockhashNotExpired.into());
                }
                let new_data = Data::new(data.authority, next, lamports_per_signature);
                nonce::set_state(&mut account, &Versions::new(State::Initialized(new_data)))
            }
            State::Uninitialized => {
                ic_msg!(
                    ctx,
                    "Advance nonce account: Account {} state is invalid",
                    account.key()
                );
                Err(InstructionError::InvalidAccountData)
            }
        }
    }
}
