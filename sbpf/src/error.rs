//! Errors: what a syscall fails with, what loading an ELF fails with, and
//! the conversion of a program's `r0` into an [`InstructionError`].

use baton_types::InstructionError;
use solana_sbpf::error::EbpfError;

/// Why a syscall failed. The messages are Agave's, since they appear in the
/// `Program … failed: …` log line. Only [`SyscallError::Instruction`] keeps
/// its error; every other one fails the instruction with
/// `ProgramFailedToComplete`. None of them depletes the meter.
#[derive(Debug, thiserror::Error)]
pub enum SyscallError {
    /// An instruction error raised inside the syscall (for example
    /// `ComputationalBudgetExceeded`), returned as it is.
    #[error("{0}")]
    Instruction(InstructionError),
    /// `abort`.
    #[error("SBF program panicked")]
    Abort,
    /// `sol_panic_`.
    #[error("SBF program Panicked in {file} at {line}:{column}")]
    Panic {
        /// The file the program named.
        file: String,
        /// Line.
        line: u64,
        /// Column.
        column: u64,
    },
    /// A string argument is not UTF-8.
    #[error("{0}: {1:?}")]
    InvalidString(std::str::Utf8Error, Vec<u8>),
    /// `sol_memcpy_` on overlapping ranges.
    #[error("Overlapping copy")]
    CopyOverlapping,
    /// More return data than 1,024 bytes.
    #[error("Return data too large ({0} > {1})")]
    ReturnDataTooLarge(u64, u64),
    /// More slices than a hash syscall accepts.
    #[error("Hashing too many sequences")]
    TooManySlices,
    /// A pointer not aligned for its type.
    #[error("Unaligned pointer")]
    UnalignedPointer,
    /// A pointer into a region the syscall may not use.
    #[error("Invalid pointer")]
    InvalidPointer,
    /// A length whose byte size overflows.
    #[error("InvalidLength")]
    InvalidLength,
    /// Too many seeds or a seed too long (a PDA syscall), or signer seeds
    /// that give no program address (CPI), with the reason.
    #[error("Could not create program address with signer seeds: {0}")]
    BadSeeds(&'static str),
    /// More than 16 signer seed sets in a CPI.
    #[error("Too many signers")]
    TooManySigners,
    /// A CPI to a program that inner instructions may not call.
    #[error("Program {0} not supported by inner instructions")]
    ProgramNotSupported(baton_types::Pubkey),
    /// A CPI with more account metas than allowed.
    #[error("Invoked an instruction with too many accounts ({0} > {1})")]
    MaxInstructionAccountsExceeded(u64, u64),
    /// A CPI with more instruction data than allowed.
    #[error("Invoked an instruction with data that is too large ({0} > {1})")]
    MaxInstructionDataLenExceeded(u64, u64),
    /// A CPI with more account infos than allowed.
    #[error("Invoked an instruction with too many account info's ({0} > {1})")]
    MaxInstructionAccountInfosExceeded(u64, u64),
    /// An address outside the VM's memory.
    #[error("{0}")]
    Memory(EbpfError),
    /// Host code panicked inside a syscall; caught before it could unwind
    /// through JIT frames.
    #[error("syscall panicked")]
    HostPanic,
}

impl From<InstructionError> for SyscallError {
    fn from(e: InstructionError) -> Self {
        SyscallError::Instruction(e)
    }
}

/// Why an ELF could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The ELF is malformed, uses an unsupported SBPF version, or imports a
    /// syscall that does not exist (with the deployment settings).
    #[error("invalid ELF: {0}")]
    Elf(String),
    /// The bytecode failed verification.
    #[error("verification failed: {0}")]
    Verify(String),
    /// The JIT compiler failed.
    #[error("JIT compilation failed: {0}")]
    Jit(String),
}

/// Bit shift of the builtin error codes a program may return in `r0`.
const BUILTIN_BIT_SHIFT: u32 = 32;

/// The instruction error a program's nonzero `r0` means, as Agave's
/// `From<u64> for InstructionError`: builtin codes `n << 32` map to their
/// variants, a value below 2^32 is `Custom(value)`, anything else is
/// `InvalidError`.
pub fn instruction_error_from_u64(value: u64) -> InstructionError {
    use InstructionError as E;
    match value >> BUILTIN_BIT_SHIFT {
        0 => E::Custom(value as u32),
        _ if value & u64::from(u32::MAX) != 0 => E::InvalidError,
        1 => E::Custom(0),
        2 => E::InvalidArgument,
        3 => E::InvalidInstructionData,
        4 => E::InvalidAccountData,
        5 => E::AccountDataTooSmall,
        6 => E::InsufficientFunds,
        7 => E::IncorrectProgramId,
        8 => E::MissingRequiredSignature,
        9 => E::AccountAlreadyInitialized,
        10 => E::UninitializedAccount,
        11 => E::NotEnoughAccountKeys,
        12 => E::AccountBorrowFailed,
        13 => E::MaxSeedLengthExceeded,
        14 => E::InvalidSeeds,
        15 => E::BorshIoError,
        16 => E::AccountNotRentExempt,
        17 => E::UnsupportedSysvar,
        18 => E::IllegalOwner,
        19 => E::MaxAccountsDataAllocationsExceeded,
        20 => E::InvalidRealloc,
        21 => E::MaxInstructionTraceLengthExceeded,
        22 => E::BuiltinProgramsMustConsumeComputeUnits,
        23 => E::InvalidAccountOwner,
        24 => E::ArithmeticOverflow,
        25 => E::Immutable,
        26 => E::IncorrectAuthority,
        _ => E::InvalidError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r0_codes_map_as_agave() {
        use InstructionError as E;
        assert_eq!(instruction_error_from_u64(1), E::Custom(1));
        assert_eq!(
            instruction_error_from_u64(u32::MAX as u64),
            E::Custom(u32::MAX)
        );
        assert_eq!(instruction_error_from_u64(1 << 32), E::Custom(0));
        assert_eq!(instruction_error_from_u64(2 << 32), E::InvalidArgument);
        assert_eq!(instruction_error_from_u64(6 << 32), E::InsufficientFunds);
        assert_eq!(instruction_error_from_u64(20 << 32), E::InvalidRealloc);
        assert_eq!(instruction_error_from_u64(26 << 32), E::IncorrectAuthority);
        assert_eq!(instruction_error_from_u64(27 << 32), E::InvalidError);
        assert_eq!(instruction_error_from_u64((2 << 32) | 1), E::InvalidError);
        assert_eq!(instruction_error_from_u64(u64::MAX), E::InvalidError);
    }
}
