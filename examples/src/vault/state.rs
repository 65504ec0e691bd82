//! The receipt account.

use baton_types::InstructionError;

/// What one user may withdraw of one mint: the data of the receipt PDA
/// `[b"receipt", mint, user]`, [`Receipt::LEN`] bytes: `amount: u64`
/// little-endian.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Receipt {
    /// Tokens deposited and not withdrawn.
    pub amount: u64,
}

impl Receipt {
    /// Packed length in bytes.
    pub const LEN: usize = 8;

    /// Decode; `InvalidAccountData` unless `data` is [`Receipt::LEN`] bytes.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let bytes: [u8; Self::LEN] = data
            .try_into()
            .map_err(|_| InstructionError::InvalidAccountData)?;
        Ok(Self {
            amount: u64::from_le_bytes(bytes),
        })
    }

    /// The packed bytes.
    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        self.amount.to_le_bytes()
    }
}
