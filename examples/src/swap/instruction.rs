//! The swap program's instructions on the wire, and client-side builders.
//!
//! A 1-byte tag, then the fields little-endian; nothing may follow.

use baton_types::{ids, AccountMeta, Instruction, InstructionError, Pubkey};

use super::{pool_address, pool_vault_address, Initialize, Swap, ID};
use crate::{expect_end, read_u16, read_u64, read_u8};

/// A decoded swap instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwapInstruction {
    /// Tag 0, see [`Initialize`].
    Initialize(Initialize),
    /// Tag 1, see [`Swap`].
    Swap(Swap),
}

impl SwapInstruction {
    /// Decode instruction data; an unknown tag or a wrong length →
    /// `InvalidInstructionData`.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let (tag, rest) = read_u8(data)?;
        let ix = match tag {
            Initialize::DISCRIMINATOR => {
                let (fee_bps, rest) = read_u16(rest)?;
                expect_end(rest)?;
                Self::Initialize(Initialize { fee_bps })
            }
            Swap::DISCRIMINATOR => {
                let (amount_in, rest) = read_u64(rest)?;
                let (min_out, rest) = read_u64(rest)?;
                expect_end(rest)?;
                Self::Swap(Swap { amount_in, min_out })
            }
            _ => return Err(InstructionError::InvalidInstructionData),
        };
        Ok(ix)
    }

    /// The instruction data.
    pub fn pack(&self) -> Vec<u8> {
        match self {
            Self::Initialize(i) => {
                let mut v = vec![Initialize::DISCRIMINATOR];
                v.extend_from_slice(&i.fee_bps.to_le_bytes());
                v
            }
            Self::Swap(s) => {
                let mut v = vec![Swap::DISCRIMINATOR];
                v.extend_from_slice(&s.amount_in.to_le_bytes());
                v.extend_from_slice(&s.min_out.to_le_bytes());
                v
            }
        }
    }
}

/// `Initialize`: `payer` creates the pool of `(mint_a, mint_b)` and its two
/// vaults, at their derived addresses.
pub fn initialize(payer: &Pubkey, mint_a: &Pubkey, mint_b: &Pubkey, fee_bps: u16) -> Instruction {
    let (pool, _) = pool_address(mint_a, mint_b);
    let (vault_a, _) = pool_vault_address(&pool, mint_a);
    let (vault_b, _) = pool_vault_address(&pool, mint_b);
    Instruction::new_with_bytes(
        ID,
        &SwapInstruction::Initialize(Initialize { fee_bps }).pack(),
        vec![
            AccountMeta::new(*payer, true),
            AccountMeta::new(pool, false),
            AccountMeta::new_readonly(*mint_a, false),
            AccountMeta::new_readonly(*mint_b, false),
            AccountMeta::new(vault_a, false),
            AccountMeta::new(vault_b, false),
            AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
            AccountMeta::new_readonly(ids::TOKEN_PROGRAM, false),
        ],
    )
}

/// `Swap` in the pool of `(mint_a, mint_b)`: `amount_in` tokens from
/// `user_source` (either mint), at least `min_out` of the other mint to
/// `user_destination`.
pub fn swap(
    user: &Pubkey,
    mint_a: &Pubkey,
    mint_b: &Pubkey,
    user_source: &Pubkey,
    user_destination: &Pubkey,
    amount_in: u64,
    min_out: u64,
) -> Instruction {
    let (pool, _) = pool_address(mint_a, mint_b);
    let (vault_a, _) = pool_vault_address(&pool, mint_a);
    let (vault_b, _) = pool_vault_address(&pool, mint_b);
    swap_with(
        user,
        &pool,
        &vault_a,
        &vault_b,
        user_source,
        user_destination,
        amount_in,
        min_out,
    )
}

/// `Swap` with the pool and its vaults given (clients that cache them, and
/// tests that pass the wrong ones).
#[allow(clippy::too_many_arguments)]
pub fn swap_with(
    user: &Pubkey,
    pool: &Pubkey,
    vault_a: &Pubkey,
    vault_b: &Pubkey,
    user_source: &Pubkey,
    user_destination: &Pubkey,
    amount_in: u64,
    min_out: u64,
) -> Instruction {
    Instruction::new_with_bytes(
        ID,
        &SwapInstruction::Swap(Swap { amount_in, min_out }).pack(),
        vec![
            AccountMeta::new_readonly(*user, true),
            AccountMeta::new_readonly(*pool, false),
            AccountMeta::new(*vault_a, false),
            AccountMeta::new(*vault_b, false),
            AccountMeta::new(*user_source, false),
            AccountMeta::new(*user_destination, false),
            AccountMeta::new_readonly(ids::TOKEN_PROGRAM, false),
        ],
    )
}
