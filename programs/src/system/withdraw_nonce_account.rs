//! `WithdrawNonceAccount` (5): take lamports out of a nonce account.

use baton_executor::InvokeContext;
use baton_types::{ids, InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::error::SystemError;
use super::nonce::{self, State, Versions};
use super::shared;

/// Withdraw `lamports` from a nonce account. The balance left must stay
/// rent exempt, or be zero: withdrawing everything from an initialized
/// account also de-initializes it.
///
/// Accounts:
///   0. `[WRITE]` Nonce account
///   1. `[WRITE]` Recipient account
///   2. `[]` RecentBlockhashes sysvar
///   3. `[]` Rent sysvar
///   4. `[SIGNER]` Nonce authority
///
/// Errors: `MissingAccount` (fewer than 2 accounts, or a missing
/// sysvar); account 2 or 3 is not the expected sysvar → `InvalidArgument`;
/// the nonce account is read-only → `InvalidArgument`; malformed data →
/// `InvalidAccountData`. Uninitialized: more than the balance →
/// `InsufficientFunds`; the nonce account itself must sign. Initialized:
/// the whole balance while the stored nonce derives from the current
/// blockhash → `Custom(NonceBlockhashNotExpired)`; a partial amount that
/// leaves less than the rent-exempt minimum (or overflows) →
/// `InsufficientFunds`; the authority must sign. A missing signature →
/// `MissingRequiredSignature`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawNonceAccount {
    /// Lamports to withdraw.
    pub lamports: u64,
}

impl WithdrawNonceAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u32 = 5;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        shared::check_number_of_instruction_accounts(ctx, 2)?;
        shared::check_sysvar_account(ctx, 2, &ids::SYSVAR_RECENT_BLOCKHASHES)?;
        shared::check_sysvar_account(ctx, 3, &ids::SYSVAR_RENT)?;
        let lamports = self.lamports;

        let mut from = ctx.borrow_instruction_account(0)?;
        if !from.is_writable() {
            ic_msg!(
                ctx,
                "Withdraw nonce account: Account {} must be writeable",
                from.key()
            );
            return Err(InstructionError::InvalidArgument);
        }
        let check_signer = |signer: &Pubkey| -> Result<(), InstructionError> {
            if !shared::is_signer_key(ctx, signer)? {
                ic_msg!(ctx, "Withdraw nonce account: Account {} must sign", signer);
                return Err(InstructionError::MissingRequiredSignature);
            }
            Ok(())
        };
        match *nonce::get_state(&from)?.state() {
            State::Uninitialized => {
                if lamports > from.lamports() {
                    ic_msg!(
                        ctx,
                        "Withdraw nonce account: insufficient lamports {}, need {}",
                        from.lamports(),
                        lamports
                    );
                    return Err(InstructionError::InsufficientFunds);
                }
                check_signer(from.key())?;
            }
            State::Initialized(data) => {
                if lamports == from.lamports() {
                    let (blockhash, _) = shared::current_blockhash(ctx);
                    if data.durable_nonce == nonce::durable_nonce_from_blockhash(&blockhash) {
                        ic_msg!(
                            ctx,
                            "Withdraw nonce account: nonce can only advance once per slot"
                        );
                        return Err(SystemError::NonceBlockhashNotExpired.into());
                    }
                    check_signer(&data.authority)?;
                    nonce::set_state(&mut from, &Versions::new(State::Uninitialized))?;
                } else {
                    let min_balance = ctx.rent().minimum_balance(from.data().len());
                    // Agave's `checked_add` reports overflow as InsufficientFunds.
                    let amount = lamports
                        .checked_add(min_balance)
                        .ok_or(InstructionError::InsufficientFunds)?;
                    if amount > from.lamports() {
                        ic_msg!(
                            ctx,
                            "Withdraw nonce account: insufficient lamports {}, need {}",
                            from.lamports(),
                            amount
                        );
                        return Err(InstructionError::InsufficientFunds);
                    }
                    check_signer(&data.authority)?;
                }
            }
        }
        from.checked_sub_lamports(lamports)?;
        drop(from);
        let mut to = ctx.borrow_instruction_account(1)?;
        to.checked_add_lamports(lamports)
    }
}
