//! `Initialize` (0): create a pool and its two vaults.

use baton_executor::InvokeContext;
use baton_types::InstructionError;

use super::curve::BPS;
use super::{PoolState, SwapError, POOL_SEED, POOL_VAULT_SEED};
use baton_programs::token::state::TokenAccount;
use baton_sdk::msg;
use baton_sdk::{self as sdk, AccountHandle, CpiContext, InvokeContextExt};

/// Create the pool PDA `[b"pool", mint_a, mint_b]` (owned by this
/// program, holding [`PoolState`]) and its vaults, the token accounts at
/// `[b"pool_vault", pool, mint]` held by the pool PDA; the payer funds all
/// three rent exempt. Every account is created through a system
/// `CreateAccount` signed by its PDA, each vault then initialized with the
/// token program's `InitializeAccount3`.
///
/// Accounts:
///   0. `[WRITE, SIGNER]` Payer
///   1. `[WRITE]` Pool PDA
///   2. `[]` Mint A
///   3. `[]` Mint B
///   4. `[WRITE]` Vault A PDA
///   5. `[WRITE]` Vault B PDA
///   6. `[]` System program
///   7. `[]` Token program
///
/// Errors: `NotEnoughAccountKeys`; payer not signing →
/// `MissingRequiredSignature`; fee ≥ 10,000 bps → `Custom(InvalidFee)`;
/// the same mint twice → `Custom(InvalidMint)`; a mint not an initialized
/// token mint → `InvalidAccountOwner` / `InvalidAccountData` /
/// `UninitializedAccount`; pool not the PDA of the mints →
/// `Custom(InvalidPool)`; pool already this program's →
/// `Custom(AlreadyInitialized)`; a vault not its PDA →
/// `Custom(InvalidVault)`; then the system and token programs' errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Initialize {
    /// The fee in basis points of each swap's input.
    pub fee_bps: u16,
}

impl Initialize {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 0;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        let [payer, pool, mint_a, mint_b, vault_a, vault_b, system_program, token_program] =
            ctx.expect_accounts()?;
        payer.expect_signer()?;
        if u64::from(self.fee_bps) >= BPS {
            return Err(SwapError::InvalidFee.into());
        }
        if mint_a.key() == mint_b.key() {
            return Err(SwapError::InvalidMint.into());
        }
        sdk::token::mint(&mint_a)?;
        sdk::token::mint(&mint_b)?;

        let program_id = ctx.program_id();
        let (a, b) = (mint_a.key().as_ref(), mint_b.key().as_ref());
        let bump = pool
            .expect_pda(&[POOL_SEED, a, b], &program_id)
            .map_err(|_| SwapError::InvalidPool)?;
        if pool.is_owned_by(&program_id)? {
            return Err(SwapError::AlreadyInitialized.into());
        }
        let vault_bump = |vault: AccountHandle<'_>, mint: &[u8]| {
            vault
                .expect_pda(&[POOL_VAULT_SEED, pool.key().as_ref(), mint], &program_id)
                .map_err(|_| InstructionError::from(SwapError::InvalidVault))
        };
        let vault_a_bump = vault_bump(vault_a, a)?;
        let vault_b_bump = vault_bump(vault_b, b)?;

        let rent = ctx.rent();
        sdk::system::create_account(
            CpiContext::new(
                system_program,
                sdk::system::CreateAccount {
                    from: payer,
                    to: pool,
                },
            )
            .with_signer(&[&[POOL_SEED, a, b, &[bump]]]),
            rent.minimum_balance(PoolState::LEN),
            PoolState::LEN as u64,
            &program_id,
        )?;
        for (vault, mint, vault_bump) in [
            (vault_a, mint_a, vault_a_bump),
            (vault_b, mint_b, vault_b_bump),
        ] {
            sdk::system::create_account(
                CpiContext::new(
                    system_program,
                    sdk::system::CreateAccount {
                        from: payer,
                        to: vault,
                    },
                )
                .with_signer(&[&[
                    POOL_VAULT_SEED,
                    pool.key().as_ref(),
                    mint.key().as_ref(),
                    &[vault_bump],
                ]]),
                rent.minimum_balance(TokenAccount::LEN),
                TokenAccount::LEN as u64,
                &baton_programs::token::ID,
            )?;
            sdk::token::initialize_account3(
                CpiContext::new(
                    token_program,
                    sdk::token::InitializeAccount3 {
                        account: vault,
                        mint,
                    },
                ),
                pool.key(),
            )?;
        }

        let state = PoolState {
            mint_a: *mint_a.key(),
            mint_b: *mint_b.key(),
            vault_a: *vault_a.key(),
            vault_b: *vault_b.key(),
            fee_bps: self.fee_bps,
            bump,
            vault_a_bump,
            vault_b_bump,
        };
        pool.try_borrow_mut_data()?
            .copy_from_slice(&state.to_bytes());
        msg!(
            ctx,
            "pool {} initialized, fee {} bps",
            pool.key(),
            self.fee_bps
        );
        Ok(())
    }
}
