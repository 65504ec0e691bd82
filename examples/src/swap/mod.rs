//! A constant-product (x·y = k) swap pool of two mints, with a fee.
//!
//! Program id [`ID`]: `BatonSwap1111111111111111111111111111111111`.
//!
//! A pool of `(mint_a, mint_b)` lives at the PDA [`pool_address`] =
//! `[b"pool", mint_a, mint_b]` of this program and holds [`PoolState`]. Its
//! two vaults are token accounts at the PDAs [`pool_vault_address`] =
//! `[b"pool_vault", pool, mint]`, both with the pool PDA as token owner, so
//! only this program, signing with the pool's seeds, can pay out of them.
//! The order of the mints is the creator's choice; `(a, b)` and `(b, a)`
//! are two different pools.
//!
//! | tag | instruction | data after the tag |
//! | --- | --- | --- |
//! | 0 | [`Initialize`] | `fee_bps: u16` |
//! | 1 | [`Swap`] | `amount_in: u64`, `min_out: u64` |
//!
//! Liquidity: there is no LP token; anyone may fund the vaults with a
//! plain token transfer (or mint into them), and the reserves are the
//! vaults' balances, read with [`baton_programs::token::state::TokenAccount::unpack`]
//! at every swap. Prices follow [`curve::amount_out`]: Uniswap v2's
//! formula with the fee taken from the input, so the fee stays in the pool
//! and `k = reserve_a · reserve_b` never decreases.

pub mod curve;
mod error;
mod initialize;
pub mod instruction;
mod state;
mod swap_tokens;

pub use error::SwapError;
pub use initialize::Initialize;
pub use instruction::SwapInstruction;
pub use state::PoolState;
pub use swap_tokens::Swap;

use baton_executor::{InvokeContext, Program};
use baton_types::{pda, InstructionError, Pubkey};

/// The swap program's id.
pub const ID: Pubkey = Pubkey::from_str_const("BatonSwap1111111111111111111111111111111111");

/// First seed of a pool PDA `[POOL_SEED, mint_a, mint_b]`.
pub const POOL_SEED: &[u8] = b"pool";

/// First seed of a pool vault PDA `[POOL_VAULT_SEED, pool, mint]`.
pub const POOL_VAULT_SEED: &[u8] = b"pool_vault";

/// The fee most pools use: 30 basis points (0.3 %).
pub const DEFAULT_FEE_BPS: u16 = 30;

/// The pool of `(mint_a, mint_b)` and its bump.
pub fn pool_address(mint_a: &Pubkey, mint_b: &Pubkey) -> (Pubkey, u8) {
    pda::find_program_address(&[POOL_SEED, mint_a.as_ref(), mint_b.as_ref()], &ID)
}

/// The vault of `pool` for `mint` and its bump.
pub fn pool_vault_address(pool: &Pubkey, mint: &Pubkey) -> (Pubkey, u8) {
    pda::find_program_address(&[POOL_VAULT_SEED, pool.as_ref(), mint.as_ref()], &ID)
}

/// The swap program; register it at [`ID`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SwapProgram;

impl Program for SwapProgram {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        match SwapInstruction::unpack(data)? {
            SwapInstruction::Initialize(ix) => ix.process(ctx),
            SwapInstruction::Swap(ix) => ix.process(ctx),
        }
    }
}
