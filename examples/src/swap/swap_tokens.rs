//! `Swap` (1): exchange one mint of the pool for the other.

use baton_executor::InvokeContext;
use baton_types::{pda, InstructionError};

use super::{curve, PoolState, SwapError, POOL_SEED};
use baton_sdk::msg;
use baton_sdk::{self as sdk, CpiContext, InvokeContextExt};

/// Sell `amount_in` tokens of one mint of the pool for the other mint at
/// the constant-product price less the fee ([`curve::amount_out`]),
/// failing if that is below `min_out`. The input moves from the user by a
/// token transfer the user signs; the output moves from the pool's vault by
/// a token transfer the pool PDA signs with `invoke_signed`. The direction
/// follows the source account's mint. Sets the return data to the output
/// amount (u64 little-endian).
///
/// Accounts:
///   0. `[SIGNER]` User: token authority of account 4
///   1. `[]` Pool
///   2. `[WRITE]` Vault A of the pool
///   3. `[WRITE]` Vault B of the pool
///   4. `[WRITE]` User's source token account (mint A or B)
///   5. `[WRITE]` User's destination token account (the other mint)
///   6. `[]` Token program
///
/// Errors: `NotEnoughAccountKeys`; user not signing →
/// `MissingRequiredSignature`; zero `amount_in` → `Custom(ZeroAmount)`;
/// pool not owned by this program, not a pool, or not at its PDA →
/// `Custom(InvalidPool)`; vaults not the pool's → `Custom(InvalidVault)`;
/// user accounts not token accounts → `InvalidAccountOwner` /
/// `InvalidAccountData` / `UninitializedAccount`, of mints other than the
/// pool's (or both of one) → `Custom(InvalidMint)`; an empty reserve →
/// `Custom(InsufficientLiquidity)`; an output of zero → `Custom(ZeroAmount)`;
/// below `min_out` → `Custom(SlippageExceeded)`; then the token program's
/// errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swap {
    /// Tokens sold.
    pub amount_in: u64,
    /// The least output accepted.
    pub min_out: u64,
}

impl Swap {
    /// The instruction's tag on the wire.
    pub const DISCRIMINATOR: u8 = 1;

    pub(crate) fn process(&self, ctx: &InvokeContext<'_>) -> Result<(), InstructionError> {
        let [user, pool, vault_a, vault_b, user_source, user_destination, token_program] =
            ctx.expect_accounts()?;
        user.expect_signer()?;
        if self.amount_in == 0 {
            return Err(SwapError::ZeroAmount.into());
        }
        let program_id = ctx.program_id();
        if !pool.is_owned_by(&program_id)? {
            return Err(SwapError::InvalidPool.into());
        }
        let state = PoolState::unpack(&pool.try_borrow_data()?)
            .map_err(|_| InstructionError::from(SwapError::InvalidPool))?;
        let seeds: &[&[u8]] = &[
            POOL_SEED,
            state.mint_a.as_ref(),
            state.mint_b.as_ref(),
            &[state.bump],
        ];
        if pda::create_program_address(seeds, &program_id).ok() != Some(*pool.key()) {
            return Err(SwapError::InvalidPool.into());
        }
        if *vault_a.key() != state.vault_a || *vault_b.key() != state.vault_b {
            return Err(SwapError::InvalidVault.into());
        }

        let source = sdk::token::token_account(&user_source)?;
        let destination = sdk::token::token_account(&user_destination)?;
        let (vault_in, vault_out, mint_out) = if source.mint == state.mint_a {
            (vault_a, vault_b, state.mint_b)
        } else if source.mint == state.mint_b {
            (vault_b, vault_a, state.mint_a)
        } else {
            return Err(SwapError::InvalidMint.into());
        };
        if destination.mint != mint_out {
            return Err(SwapError::InvalidMint.into());
        }
        let reserve_in = sdk::token::token_account(&vault_in)?.amount;
        let reserve_out = sdk::token::token_account(&vault_out)?.amount;
        let out = curve::amount_out(reserve_in, reserve_out, self.amount_in, state.fee_bps)?;
        if out < self.min_out {
            return Err(SwapError::SlippageExceeded.into());
        }

        sdk::token::transfer(
            CpiContext::new(
                token_program,
                sdk::token::Transfer {
                    from: user_source,
                    to: vault_in,
                    authority: user,
                },
            ),
            self.amount_in,
        )?;
        sdk::token::transfer(
            CpiContext::new(
                token_program,
                sdk::token::Transfer {
                    from: vault_out,
                    to: user_destination,
                    authority: pool,
                },
            )
            .with_signer(&[seeds]),
            out,
        )?;
        sdk::set_return_data(ctx, &out.to_le_bytes())?;
        msg!(ctx, "swap {} in, {} out", self.amount_in, out);
        Ok(())
    }
}
