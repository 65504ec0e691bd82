//! `Deposit` (0): pay tokens into the vault, credited to the user's receipt.

use baton_executor::InvokeContext;
use baton_types::{pda, InstructionError};

use super::{Receipt, VaultError, RECEIPT_SEED, VAULT_SEED};
use baton_sdk::msg;
use baton_sdk::{self as sdk, CpiContext, InvokeContextExt};

/// Move `amount` tokens from the user's token account into the vault token
/// account of the mint, and credit them to the user's receipt, creating the
/// receipt (rent paid by the user) on the first deposit.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` User: token authority of account 4, pays the receipt's rent
///   1. `[]` Mint
///   2. `[WRITE]` Receipt PDA `[b"receipt", mint, user]`
///   3. `[WRITE]` Vault token account: of the mint, held by the PDA `[b"vault", mint]`
///   4. `[WRITE]` User's token account of the mint
///   5. `[]` Token program
///   6. `[]` System program
///
/// Errors: `NotEnoughAccountKeys`; user not signing →
/// `MissingRequiredSignature`; zero amount → `Custom(ZeroAmount)`; vault
/// token account not a token account → `InvalidAccountOwner` /
/// `InvalidAccountData` / `UninitializedAccount`, of another mint or
/// authority → `Custom(InvalidVault)`; receipt not the PDA →
/// `InvalidSeeds`, owned by another program → `InvalidAccountOwner`; then
/// the system and token programs' errors (e.g. `Custom(InsufficientFunds)`
/// of the token program).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deposit {
    /// Tokens to deposit.
    pub amount: u64,
}

impl Deposit {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 0;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        let [user, mint, receipt, vault_token, user_token, token_program, system_program] =
            ctx.expect_accounts()?;
        user.expect_signer()?;
        if self.amount == 0 {
            return Err(VaultError::ZeroAmount.into());
        }
        let program_id = ctx.program_id();

        // The vault token account must be the mint's vault: else a deposit
        // into an account of the user's own would be credited.
        let vault = sdk::token::token_account(&vault_token)?;
        let (authority, _) =
            pda::try_find_program_address(&[VAULT_SEED, mint.key().as_ref()], &program_id)?;
        if vault.mint != *mint.key() || vault.owner != authority {
            return Err(VaultError::InvalidVault.into());
        }

        let receipt_bump = receipt.expect_pda(
            &[RECEIPT_SEED, mint.key().as_ref(), user.key().as_ref()],
            &program_id,
        )?;
        if receipt.is_owned_by(&baton_programs::system::ID)? && receipt.data_len()? == 0 {
            let seeds: &[&[u8]] = &[
                RECEIPT_SEED,
                mint.key().as_ref(),
                user.key().as_ref(),
                &[receipt_bump],
            ];
            let rent = ctx.rent().minimum_balance(Receipt::LEN);
            let space = Receipt::LEN as u64;
            let funded = receipt.lamports()?;
            if funded == 0 {
                sdk::system::create_account(
                    CpiContext::new(
                        system_program,
                        sdk::system::CreateAccount {
                            from: user,
                            to: receipt,
                        },
                    )
                    .with_signer(&[seeds]),
                    rent,
                    space,
                    &program_id,
                )?;
            } else {
                // Someone sent lamports to the address first, which
                // `CreateAccount` refuses: top up, allocate and assign.
                if funded < rent {
                    sdk::system::transfer(
                        CpiContext::new(
                            system_program,
                            sdk::system::Transfer {
                                from: user,
                                to: receipt,
                            },
                        ),
                        rent - funded,
                    )?;
                }
                let signed = [seeds];
                sdk::system::allocate(
                    CpiContext::new(system_program, sdk::system::Allocate { account: receipt })
                        .with_signer(&signed),
                    space,
                )?;
                sdk::system::assign(
                    CpiContext::new(system_program, sdk::system::Assign { account: receipt })
                        .with_signer(&signed),
                    &program_id,
                )?;
            }
        } else {
            receipt.expect_owner(&program_id)?;
        }

        sdk::token::transfer(
            CpiContext::new(
                token_program,
                sdk::token::Transfer {
                    from: user_token,
                    to: vault_token,
                    authority: user,
                },
            ),
            self.amount,
        )?;

        let mut data = receipt.try_borrow_mut_data()?;
        let mut state = Receipt::unpack(&data)?;
        state.amount = state
            .amount
            .checked_add(self.amount)
            .ok_or(InstructionError::ArithmeticOverflow)?;
        data.copy_from_slice(&state.to_bytes());
        msg!(ctx, "deposit {} (receipt {})", self.amount, state.amount);
        Ok(())
    }
}
