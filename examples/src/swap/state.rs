//! The pool account.

use baton_types::{InstructionError, Pubkey};

/// A pool: the data of the pool PDA, [`PoolState::LEN`] bytes:
///
/// | offset | field |
/// | --- | --- |
/// | 0 | `1`, the initialized tag |
/// | 1 | `mint_a` |
/// | 33 | `mint_b` |
/// | 65 | `vault_a` |
/// | 97 | `vault_b` |
/// | 129 | `fee_bps: u16` little-endian |
/// | 131 | pool bump |
/// | 132 | `vault_a` bump |
/// | 133 | `vault_b` bump |
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolState {
    /// The first mint.
    pub mint_a: Pubkey,
    /// The second mint.
    pub mint_b: Pubkey,
    /// The token account holding the reserve of `mint_a`.
    pub vault_a: Pubkey,
    /// The token account holding the reserve of `mint_b`.
    pub vault_b: Pubkey,
    /// The fee in basis points of the input.
    pub fee_bps: u16,
    /// The pool PDA's bump.
    pub bump: u8,
    /// `vault_a`'s bump.
    pub vault_a_bump: u8,
    /// `vault_b`'s bump.
    pub vault_b_bump: u8,
}

impl PoolState {
    /// Packed length in bytes.
    pub const LEN: usize = 134;

    /// The initialized tag, byte 0.
    pub const TAG: u8 = 1;

    /// Decode; `InvalidAccountData` unless `data` is [`PoolState::LEN`]
    /// bytes starting with [`PoolState::TAG`].
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let bytes: &[u8; Self::LEN] = data
            .try_into()
            .map_err(|_| InstructionError::InvalidAccountData)?;
        if bytes[0] != Self::TAG {
            return Err(InstructionError::InvalidAccountData);
        }
        let key = |at: usize| {
            let mut k = [0u8; 32];
            k.copy_from_slice(&bytes[at..at + 32]);
            Pubkey::new_from_array(k)
        };
        Ok(Self {
            mint_a: key(1),
            mint_b: key(33),
            vault_a: key(65),
            vault_b: key(97),
            fee_bps: u16::from_le_bytes([bytes[129], bytes[130]]),
            bump: bytes[131],
            vault_a_bump: bytes[132],
            vault_b_bump: bytes[133],
        })
    }

    /// The packed bytes.
    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        let mut b = [0u8; Self::LEN];
        b[0] = Self::TAG;
        b[1..33].copy_from_slice(self.mint_a.as_ref());
        b[33..65].copy_from_slice(self.mint_b.as_ref());
        b[65..97].copy_from_slice(self.vault_a.as_ref());
        b[97..129].copy_from_slice(self.vault_b.as_ref());
        b[129..131].copy_from_slice(&self.fee_bps.to_le_bytes());
        b[131] = self.bump;
        b[132] = self.vault_a_bump;
        b[133] = self.vault_b_bump;
        b
    }
}
