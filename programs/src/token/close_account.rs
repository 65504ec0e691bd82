//! `CloseAccount` (9): delete an empty token account and reclaim its
//! lamports.

use baton_executor::InvokeContext;
use baton_types::{ids, InstructionError};

use super::error::TokenError;
use super::shared;
use super::state::INCINERATOR;

/// Close a token account whose balance is zero (any balance, for a native
/// account): all its lamports go to the destination, its data is removed
/// and it is handed back to the system program. Signed by the close
/// authority, or by the owner when there is none.
///
/// Accounts:
///   0. `[WRITE]` The account to close
///   1. `[WRITE]` Destination of the lamports
///   2. `[SIGNER]` The account's close authority or owner
///
/// Errors, in SPL Token's order: `NotEnoughAccountKeys`; destination is the
/// account itself → `InvalidAccountData`; not an initialized token account
/// → `InvalidAccountData` / `UninitializedAccount`; a non-native account
/// with tokens → `Custom(NonNativeHasBalance)`; authority not the close
/// authority (or owner) → `Custom(OwnerMismatch)`; not signed →
/// `MissingRequiredSignature`; an account owned by the system program or
/// the incinerator may be closed by anyone but only into the incinerator,
/// else `InvalidAccountData`; destination balance overflow →
/// `Custom(Overflow)`; then the executor's lamport and data rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloseAccount;

impl CloseAccount {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 9;
    /// Compute units charged (SPL Token's measured consumption).
    pub const UNITS: u64 = 2_916;

    /// The instruction data, tag included.
    pub fn pack(&self) -> Vec<u8> {
        vec![Self::DISCRIMINATOR]
    }

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        let (source_index, destination_index, authority_index) = (0, 1, 2);
        shared::check_account_count(ctx, 3)?;
        let destination_key = shared::key(ctx, destination_index)?;
        if shared::key(ctx, source_index)? == destination_key {
            return Err(InstructionError::InvalidAccountData);
        }

        let source = shared::load_token_account(ctx, source_index)?;
        if !source.is_native() && source.amount != 0 {
            return Err(TokenError::NonNativeHasBalance.into());
        }
        let authority = source.close_authority.unwrap_or(source.owner);
        if !source.is_owned_by_system_program_or_incinerator() {
            shared::validate_owner(ctx, &authority, authority_index)?;
        } else if destination_key != INCINERATOR {
            return Err(InstructionError::InvalidAccountData);
        }

        let lamports = ctx.borrow_instruction_account(source_index)?.lamports();
        {
            let mut destination = ctx.borrow_instruction_account(destination_index)?;
            let credited = destination
                .lamports()
                .checked_add(lamports)
                .ok_or(TokenError::Overflow)?;
            destination.set_lamports(credited)?;
        }
        // Delete the account as SPL Token does on chain: no lamports, no
        // data, owned by the system program. The data goes first, since
        // only an account with empty (zeroed) data may change owner.
        let mut closed = ctx.borrow_instruction_account(source_index)?;
        closed.set_lamports(0)?;
        closed.set_data_length(0)?;
        closed.set_owner(&ids::SYSTEM_PROGRAM)
    }
}
