//! The token program's custom errors, with SPL Token's codes and messages.

/// Errors of the token program, returned as `InstructionError::Custom(code)`
/// with the codes of SPL Token's `TokenError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[repr(u32)]
pub enum TokenError {
    /// The account would not be rent exempt.
    #[error("Lamport balance below rent-exempt threshold")]
    NotRentExempt = 0,
    /// Fewer tokens (or delegated tokens) than the amount.
    #[error("Insufficient funds")]
    InsufficientFunds = 1,
    /// The mint is not an initialized mint of this program.
    #[error("Invalid Mint")]
    InvalidMint = 2,
    /// The accounts belong to different mints.
    #[error("Account not associated with this Mint")]
    MintMismatch = 3,
    /// The authority is not the expected key.
    #[error("Owner does not match")]
    OwnerMismatch = 4,
    /// The mint has no mint authority: its supply is fixed.
    #[error("Fixed supply")]
    FixedSupply = 5,
    /// The account is already initialized.
    #[error("Already in use")]
    AlreadyInUse = 6,
    /// Multisig: the number of signer accounts is out of range.
    #[error("Invalid number of provided signers")]
    InvalidNumberOfProvidedSigners = 7,
    /// Multisig: the number of required signers is out of range.
    #[error("Invalid number of required signers")]
    InvalidNumberOfRequiredSigners = 8,
    /// The state is not initialized.
    #[error("State is uninitialized")]
    UninitializedState = 9,
    /// The instruction does not apply to native (wrapped SOL) accounts.
    #[error("Instruction does not support native tokens")]
    NativeNotSupported = 10,
    /// A non-native account must be empty to be closed.
    #[error("Non-native account can only be closed if its balance is zero")]
    NonNativeHasBalance = 11,
    /// The instruction data does not decode.
    #[error("Invalid instruction")]
    InvalidInstruction = 12,
    /// The account is not in a state the instruction accepts.
    #[error("State is invalid for requested operation")]
    InvalidState = 13,
    /// An amount overflowed or underflowed.
    #[error("Operation overflowed")]
    Overflow = 14,
    /// The authority type does not apply to this kind of account.
    #[error("Account does not support specified authority type")]
    AuthorityTypeNotSupported = 15,
    /// The mint has no freeze authority.
    #[error("This token mint cannot freeze accounts")]
    MintCannotFreeze = 16,
    /// The account is frozen.
    #[error("Account is frozen")]
    AccountFrozen = 17,
    /// The decimals given differ from the mint's.
    #[error("The provided decimals value different from the Mint decimals")]
    MintDecimalsMismatch = 18,
    /// The instruction applies to native accounts only.
    #[error("Instruction does not support non-native tokens")]
    NonNativeNotSupported = 19,
}

crate::custom_error_codes!(TokenError {
    NotRentExempt,
    InsufficientFunds,
    InvalidMint,
    MintMismatch,
    OwnerMismatch,
    FixedSupply,
    AlreadyInUse,
    InvalidNumberOfProvidedSigners,
    InvalidNumberOfRequiredSigners,
    UninitializedState,
    NativeNotSupported,
    NonNativeHasBalance,
    InvalidInstruction,
    InvalidState,
    Overflow,
    AuthorityTypeNotSupported,
    MintCannotFreeze,
    AccountFrozen,
    MintDecimalsMismatch,
    NonNativeNotSupported,
});
