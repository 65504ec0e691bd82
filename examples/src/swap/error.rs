//! The swap program's custom errors.

use baton_types::InstructionError;

/// Errors of the swap program, returned as `InstructionError::Custom(code)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[repr(u32)]
pub enum SwapError {
    /// The output is below the caller's `min_out`.
    #[error("slippage: output below the minimum")]
    SlippageExceeded = 6000,
    /// The input, or the output it buys, is zero.
    #[error("amount is zero")]
    ZeroAmount = 6001,
    /// A reserve is empty.
    #[error("insufficient liquidity")]
    InsufficientLiquidity = 6002,
    /// A vault is not the pool's (or not its PDA, at initialization).
    #[error("not a vault of this pool")]
    InvalidVault = 6003,
    /// A token account or mint does not match the pool's mints, or the two
    /// mints are the same.
    #[error("mint does not match the pool")]
    InvalidMint = 6004,
    /// The pool account is not the pool PDA of its mints, or not a pool.
    #[error("not a pool of this program")]
    InvalidPool = 6005,
    /// The pool exists already.
    #[error("pool already initialized")]
    AlreadyInitialized = 6006,
    /// The fee is 10,000 basis points or more.
    #[error("fee out of range")]
    InvalidFee = 6007,
}

impl SwapError {
    /// The custom error code.
    pub const fn code(self) -> u32 {
        self as u32
    }
}

impl From<SwapError> for InstructionError {
    fn from(e: SwapError) -> Self {
        InstructionError::Custom(e.code())
    }
}
