//! The vault's custom errors.

use baton_types::InstructionError;

/// Errors of the vault, returned as `InstructionError::Custom(code)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[repr(u32)]
pub enum VaultError {
    /// The amount is zero.
    #[error("amount is zero")]
    ZeroAmount = 6000,
    /// The receipt holds less than the amount to withdraw.
    #[error("withdrawal exceeds the deposit")]
    InsufficientDeposit = 6001,
    /// The vault token account is not of the mint, or not held by the
    /// mint's vault authority.
    #[error("not the vault token account of this mint")]
    InvalidVault = 6002,
}

impl VaultError {
    /// The custom error code.
    pub const fn code(self) -> u32 {
        self as u32
    }
}

impl From<VaultError> for InstructionError {
    fn from(e: VaultError) -> Self {
        InstructionError::Custom(e.code())
    }
}
