//! The vault's instructions on the wire, and client-side builders.
//!
//! A 1-byte tag, then the fields little-endian; nothing may follow.

use baton_types::{ids, AccountMeta, Instruction, InstructionError, Pubkey};

use super::{receipt_address, vault_authority, Deposit, Withdraw, ID};
use crate::{expect_end, read_u64, read_u8};

/// A decoded vault instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultInstruction {
    /// Tag 0, see [`Deposit`].
    Deposit(Deposit),
    /// Tag 1, see [`Withdraw`].
    Withdraw(Withdraw),
}

impl VaultInstruction {
    /// Decode instruction data; an unknown tag or a wrong length →
    /// `InvalidInstructionData`.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let (tag, rest) = read_u8(data)?;
        let ix = match tag {
            Deposit::DISCRIMINATOR => {
                let (amount, rest) = read_u64(rest)?;
                expect_end(rest)?;
                Self::Deposit(Deposit { amount })
            }
            Withdraw::DISCRIMINATOR => {
                let (amount, rest) = read_u64(rest)?;
                let (bump, rest) = read_u8(rest)?;
                expect_end(rest)?;
                Self::Withdraw(Withdraw { amount, bump })
            }
            _ => return Err(InstructionError::InvalidInstructionData),
        };
        Ok(ix)
    }

    /// The instruction data.
    pub fn pack(&self) -> Vec<u8> {
        match self {
            Self::Deposit(d) => {
                let mut v = vec![Deposit::DISCRIMINATOR];
                v.extend_from_slice(&d.amount.to_le_bytes());
                v
            }
            Self::Withdraw(w) => {
                let mut v = vec![Withdraw::DISCRIMINATOR];
                v.extend_from_slice(&w.amount.to_le_bytes());
                v.push(w.bump);
                v
            }
        }
    }
}

/// `Deposit`: `user` pays `amount` tokens from `user_token` into
/// `vault_token`, the vault token account of `mint`; the receipt PDA is
/// derived.
pub fn deposit(
    user: &Pubkey,
    mint: &Pubkey,
    vault_token: &Pubkey,
    user_token: &Pubkey,
    amount: u64,
) -> Instruction {
    let (receipt, _) = receipt_address(mint, user);
    Instruction::new_with_bytes(
        ID,
        &VaultInstruction::Deposit(Deposit { amount }).pack(),
        vec![
            AccountMeta::new(*user, true),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new(receipt, false),
            AccountMeta::new(*vault_token, false),
            AccountMeta::new(*user_token, false),
            AccountMeta::new_readonly(ids::TOKEN_PROGRAM, false),
            AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
        ],
    )
}

/// `Withdraw`: `amount` tokens from `vault_token` back to `user_token`,
/// with the canonical vault authority of `mint` and its bump.
pub fn withdraw(
    user: &Pubkey,
    mint: &Pubkey,
    vault_token: &Pubkey,
    user_token: &Pubkey,
    amount: u64,
) -> Instruction {
    let (authority, bump) = vault_authority(mint);
    withdraw_with(
        user,
        mint,
        &authority,
        vault_token,
        user_token,
        amount,
        bump,
    )
}

/// `Withdraw` with every account and the bump given: for clients that
/// cache the bump, and for tests that pass the wrong ones.
pub fn withdraw_with(
    user: &Pubkey,
    mint: &Pubkey,
    vault_authority: &Pubkey,
    vault_token: &Pubkey,
    user_token: &Pubkey,
    amount: u64,
    bump: u8,
) -> Instruction {
    let (receipt, _) = receipt_address(mint, user);
    Instruction::new_with_bytes(
        ID,
        &VaultInstruction::Withdraw(Withdraw { amount, bump }).pack(),
        vec![
            AccountMeta::new_readonly(*user, true),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new(receipt, false),
            AccountMeta::new_readonly(*vault_authority, false),
            AccountMeta::new(*vault_token, false),
            AccountMeta::new(*user_token, false),
            AccountMeta::new_readonly(ids::TOKEN_PROGRAM, false),
        ],
    )
}
