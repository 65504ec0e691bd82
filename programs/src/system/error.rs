//! The system program's custom errors, with Agave's codes and messages.

/// Errors of the system program, returned as
/// `InstructionError::Custom(code)` with the codes Agave uses
/// (`solana_system_interface::error::SystemError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[repr(u32)]
pub enum SystemError {
    /// The account already holds lamports, data or another owner.
    #[error("an account with the same address already exists")]
    AccountAlreadyInUse = 0,
    /// The source has fewer lamports than the amount.
    #[error("account does not have enough SOL to perform the operation")]
    ResultWithNegativeLamports = 1,
    /// The owner may not be assigned.
    #[error("cannot assign account to this program id")]
    InvalidProgramId = 2,
    /// The requested data length is over the 10 MiB limit.
    #[error("cannot allocate account data of this length")]
    InvalidAccountDataLength = 3,
    /// A seed is too long.
    #[error("length of requested seed is too long")]
    MaxSeedLengthExceeded = 4,
    /// The account's address is not the one derived from base, seed and owner.
    #[error("provided address does not match addressed derived from seed")]
    AddressWithSeedMismatch = 5,
    /// The RecentBlockhashes sysvar is empty.
    #[error("advancing stored nonce requires a populated RecentBlockhashes sysvar")]
    NonceNoRecentBlockhashes = 6,
    /// The stored nonce already derives from the current blockhash.
    #[error("stored nonce is still in recent_blockhashes")]
    NonceBlockhashNotExpired = 7,
    /// The nonce does not match the stored one.
    #[error("specified nonce does not match stored nonce")]
    NonceUnexpectedBlockhashValue = 8,
}

crate::custom_error_codes!(SystemError {
    AccountAlreadyInUse,
    ResultWithNegativeLamports,
    InvalidProgramId,
    InvalidAccountDataLength,
    MaxSeedLengthExceeded,
    AddressWithSeedMismatch,
    NonceNoRecentBlockhashes,
    NonceBlockhashNotExpired,
    NonceUnexpectedBlockhashValue,
});

#[cfg(test)]
mod tests {
    use super::*;
    use baton_types::InstructionError;

    #[test]
    fn codes_are_agaves() {
        for (i, e) in SystemError::ALL.iter().enumerate() {
            assert_eq!(e.code(), i as u32);
            assert_eq!(SystemError::from_code(i as u32), Some(*e));
            assert_eq!(
                InstructionError::from(*e),
                InstructionError::Custom(i as u32)
            );
            assert_eq!(
                SystemError::from_instruction_error(&InstructionError::Custom(i as u32)),
                Some(*e)
            );
        }
        assert_eq!(SystemError::from_code(9), None);
        assert_eq!(SystemError::try_from(42), Err(42));
        assert_eq!(SystemError::NonceBlockhashNotExpired.code(), 7);
        assert_eq!(
            SystemError::from_instruction_error(&InstructionError::InvalidArgument),
            None
        );
    }
}
