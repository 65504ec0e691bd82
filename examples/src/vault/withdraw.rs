//! `Withdraw` (1): take deposited tokens back, signed by the vault PDA.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::{Receipt, VaultError, RECEIPT_SEED, VAULT_SEED};
use baton_sdk::msg;
use baton_sdk::{self as sdk, CpiContext, InvokeContextExt};

/// Debit `amount` from the user's receipt and move that many tokens from the
/// vault token account to the user's, the transfer signed by the vault
/// authority PDA through `invoke_signed` with the seeds
/// `[b"vault", mint, bump]`.
///
/// Accounts:
///   0. `[SIGNER]` User
///   1. `[]` Mint
///   2. `[WRITE]` Receipt PDA `[b"receipt", mint, user]`
///   3. `[]` Vault authority PDA `[b"vault", mint]`
///   4. `[WRITE]` Vault token account (token owner: account 3)
///   5. `[WRITE]` User's token account of the mint
///   6. `[]` Token program
///
/// Errors: `NotEnoughAccountKeys`; user not signing →
/// `MissingRequiredSignature`; zero amount → `Custom(ZeroAmount)`; receipt
/// owned by another program → `InvalidAccountOwner`, not the user's PDA for
/// the mint → `InvalidSeeds`, read-only → `ReadonlyDataModified`, holding
/// less than the amount → `Custom(InsufficientDeposit)`. Then the transfer:
/// seeds that do not derive account 3 (another mint's, a wrong bump) →
/// `PrivilegeEscalation` (`ProgramFailedToComplete` if they derive no valid
/// PDA); account 3 not the vault's token owner → the token program's
/// `Custom(OwnerMismatch)`; and the token program's other errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withdraw {
    /// Tokens to withdraw.
    pub amount: u64,
    /// The vault authority's bump seed.
    pub bump: u8,
}

impl Withdraw {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 1;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        let [user, mint, receipt, vault_authority, vault_token, user_token, token_program] =
            ctx.expect_accounts()?;
        user.expect_signer()?;
        if self.amount == 0 {
            return Err(VaultError::ZeroAmount.into());
        }
        let program_id = ctx.program_id();
        receipt.expect_owner(&program_id)?;
        receipt.expect_pda(
            &[RECEIPT_SEED, mint.key().as_ref(), user.key().as_ref()],
            &program_id,
        )?;

        // Debit the receipt first, and drop the guard before the CPI.
        let left = {
            let mut data = receipt.try_borrow_mut_data()?;
            let mut state = Receipt::unpack(&data)?;
            state.amount = state
                .amount
                .checked_sub(self.amount)
                .ok_or(VaultError::InsufficientDeposit)?;
            data.copy_from_slice(&state.to_bytes());
            state.amount
        };

        sdk::token::transfer(
            CpiContext::new(
                token_program,
                sdk::token::Transfer {
                    from: vault_token,
                    to: user_token,
                    authority: vault_authority,
                },
            )
            .with_signer(&[&[VAULT_SEED, mint.key().as_ref(), &[self.bump]]]),
            self.amount,
        )?;
        msg!(ctx, "withdraw {} (receipt {})", self.amount, left);
        Ok(())
    }
}
