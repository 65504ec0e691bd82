//! `InitializeNonceAccount` (6): store a first durable nonce.

use baton_executor::InvokeContext;
use baton_types::{ids, InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::error::SystemError;
use super::nonce::{self, Data, State, Versions};
use super::serde_bytes32;
use super::shared;

/// Move an uninitialized nonce account to initialized: store the durable
/// nonce of the current blockhash and make `authority` its authority. No
/// signature is needed, so nonce accounts may live at derived addresses.
///
/// Accounts:
///   0. `[WRITE]` Nonce account
///   1. `[]` RecentBlockhashes sysvar
///   2. `[]` Rent sysvar
///
/// Errors: `MissingAccount` (for account 0 or a sysvar); account 1 is
/// not the RecentBlockhashes sysvar → `InvalidArgument`; the sysvar is empty
/// → `Custom(NonceNoRecentBlockhashes)`; account 2 is not the Rent sysvar →
/// `InvalidArgument`; the nonce account is read-only → `InvalidArgument`;
/// malformed data or already initialized → `InvalidAccountData`; below the
/// rent-exempt minimum for its data length → `InsufficientFunds`; then the
/// executor's data rules and `AccountDataTooSmall` when the data is shorter
/// than 80 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitializeNonceAccount {
    /// The authority of the nonce account.
    #[serde(with = "serde_bytes32::pubkey")]
    pub authority: Pubkey,
}

impl InitializeNonceAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 6;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 1)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        shared::check_sysvar_account(ctx, 1, &ids::SYSVAR_RECENT_BLOCKHASHES)?;
        if ctx.recent_blockhashes().0.is_empty() {
            ic_msg!(
                ctx,
                "Initialize nonce account: recent blockhash list is empty"
            );
            return Err(SystemError::NonceNoRecentBlockhashes.into());
        }
        shared::check_sysvar_account(ctx, 2, &ids::SYSVAR_RENT)?;
        if !account.is_writable() {
            ic_msg!(
                ctx,
                "Initialize nonce account: Account {} must be writeable",
                account.key()
            );
            return Err(InstructionError::InvalidArgument);
        }
        match nonce::get_state(&account)?.state() {
            State::Uninitialized => {
                let min_balance = ctx.rent().minimum_balance(account.data().len());
                if account.lamports() < min_balance {
                    ic_msg!(
                        ctx,
                        "Initialize nonce account: insufficient lamports {}, need {}",
                        account.lamports(),
                        min_balance
                    );
                    return Err(InstructionError::InsufficientFunds);
                }
                let (blockhash, lamports_per_signature) = shared::current_blockhash(ctx);
                let data = Data::new(
                    self.authority,
                    nonce::durable_nonce_from_blockhash(&blockhash),
                    lamports_per_signature,
                );
                nonce::set_state(&mut account, &Versions::new(State::Initialized(data)))
            }
            State::Initialized(_) => {
                ic_msg!(
                    ctx,
                    "Initialize nonce account: Account {} state is invalid",
                    account.key()
                );
                Err(InstructionError::InvalidAccountData)
            }
        }
    }
}
