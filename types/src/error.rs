//! Error enums named after Agave's `InstructionError` and `TransactionError`
//! variants, so that results compare one to one with Agave, LiteSVM and Mollusk.
//! They are data only: no strings, cheap to copy and compare.

/// Why an instruction failed. Variant names and meanings are Agave's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum InstructionError {
    /// Deprecated catch-all.
    #[error("generic instruction error")]
    GenericError,
    /// An argument is invalid.
    #[error("invalid program argument")]
    InvalidArgument,
    /// The instruction data could not be decoded.
    #[error("invalid instruction data")]
    InvalidInstructionData,
    /// Account data is not in the expected form.
    #[error("invalid account data for instruction")]
    InvalidAccountData,
    /// Account data is too small.
    #[error("account data too small for instruction")]
    AccountDataTooSmall,
    /// Not enough lamports.
    #[error("insufficient funds for instruction")]
    InsufficientFunds,
    /// The account is not owned by the expected program.
    #[error("incorrect program id for instruction")]
    IncorrectProgramId,
    /// A signature the instruction needs is missing.
    #[error("missing required signature for instruction")]
    MissingRequiredSignature,
    /// The account was already initialized.
    #[error("instruction requires an uninitialized account")]
    AccountAlreadyInitialized,
    /// The account is not initialized.
    #[error("instruction requires an initialized account")]
    UninitializedAccount,
    /// The lamport sum changed across an instruction.
    #[error("sum of account balances before and after instruction do not match")]
    UnbalancedInstruction,
    /// An owner change that the rules forbid (§2.4).
    #[error("instruction illegally modified the program id of an account")]
    ModifiedProgramId,
    /// A debit of an account the program does not own (§2.1).
    #[error("instruction spent from the balance of an account it does not own")]
    ExternalAccountLamportSpend,
    /// A data write to an account the program does not own (§2.2).
    #[error("instruction modified data of an account it does not own")]
    ExternalAccountDataModified,
    /// A lamport change on a read-only account (§2.1).
    #[error("instruction changed the balance of a read-only account")]
    ReadonlyLamportChange,
    /// A data write to a read-only account (§2.2).
    #[error("instruction modified data of a read-only account")]
    ReadonlyDataModified,
    /// An account index appears twice where that is not allowed.
    #[error("instruction contains duplicate accounts")]
    DuplicateAccountIndex,
    /// The executable flag changed against the rules (§2.5).
    #[error("instruction changed executable bit of an account")]
    ExecutableModified,
    /// The rent epoch changed.
    #[error("instruction modified rent epoch of an account")]
    RentEpochModified,
    /// Fewer accounts than the instruction needs.
    #[error("insufficient account keys for instruction")]
    NotEnoughAccountKeys,
    /// A length change by a non-owner (§2.3).
    #[error("program other than the account's owner changed the size of the account data")]
    AccountDataSizeChanged,
    /// The account is not executable.
    #[error("instruction expected an executable account")]
    AccountNotExecutable,
    /// The account is already borrowed in a conflicting way.
    #[error("instruction tries to borrow reference for an account which is already borrowed")]
    AccountBorrowFailed,
    /// A borrow outlived its instruction.
    #[error("instruction left account with an outstanding borrowed reference")]
    AccountBorrowOutstanding,
    /// Duplicate accounts went out of sync.
    #[error("instruction modifications of multiply-passed account differ")]
    DuplicateAccountOutOfSync,
    /// A program-specific error code.
    #[error("custom program error: {0:#x}")]
    Custom(u32),
    /// An error code the runtime does not know.
    #[error("program returned invalid error code")]
    InvalidError,
    /// Data of an executable account changed.
    #[error("instruction changed executable accounts data")]
    ExecutableDataModified,
    /// Lamports of an executable account changed.
    #[error("instruction changed the balance of an executable account")]
    ExecutableLamportChange,
    /// An account was marked executable without being rent exempt (§2.5).
    #[error("executable accounts must be rent exempt")]
    ExecutableAccountNotRentExempt,
    /// No program is registered at that id.
    #[error("Unsupported program id")]
    UnsupportedProgramId,
    /// The instruction stack is full (§4.6).
    #[error("Cross-program invocation call depth too deep")]
    CallDepth,
    /// An account the instruction names is not available (§4.1).
    #[error("An account required by the instruction is missing")]
    MissingAccount,
    /// A→B→A reentrancy (§4.7).
    #[error("Cross-program invocation reentrancy not allowed for this instruction")]
    ReentrancyNotAllowed,
    /// Too many seeds or a seed too long (§5).
    #[error("Length of the seed is too long for address generation")]
    MaxSeedLengthExceeded,
    /// The seeds give an on-curve address (§5).
    #[error("Provided seeds do not result in a valid address")]
    InvalidSeeds,
    /// A resize against the limits (§2.3).
    #[error("Failed to reallocate account data")]
    InvalidRealloc,
    /// The compute meter ran out.
    #[error("Computational budget exceeded")]
    ComputationalBudgetExceeded,
    /// A callee asked for a privilege its caller does not hold (§4.3).
    #[error("Cross-program invocation with unauthorized signer or writable account")]
    PrivilegeEscalation,
    /// The program environment could not be set up.
    #[error("Failed to create program execution environment")]
    ProgramEnvironmentSetupFailure,
    /// The program aborted (or panicked).
    #[error("Program failed to complete")]
    ProgramFailedToComplete,
    /// The program failed to compile.
    #[error("Program failed to compile")]
    ProgramFailedToCompile,
    /// The account is immutable.
    #[error("Account is immutable")]
    Immutable,
    /// The authority is wrong.
    #[error("Incorrect authority provided")]
    IncorrectAuthority,
    /// Borsh (de)serialization failed.
    #[error("Failed to serialize or deserialize account data")]
    BorshIoError,
    /// The account would not be rent exempt.
    #[error("An account does not have enough lamports to be rent-exempt")]
    AccountNotRentExempt,
    /// The account's owner is not the one expected.
    #[error("Invalid account owner")]
    InvalidAccountOwner,
    /// An arithmetic overflow.
    #[error("Program arithmetic overflowed")]
    ArithmeticOverflow,
    /// The sysvar is not supported.
    #[error("Unsupported sysvar")]
    UnsupportedSysvar,
    /// The owner is illegal (a PDA marker) (§5).
    #[error("Provided owner is not allowed")]
    IllegalOwner,
    /// More than 20 MiB of growth in one transaction (§2.3).
    #[error("Accounts data allocations exceeded the maximum allowed per transaction")]
    MaxAccountsDataAllocationsExceeded,
    /// Too many accounts.
    #[error("Max accounts exceeded")]
    MaxAccountsExceeded,
    /// More than 64 instructions in the trace (§4.6).
    #[error("Max instruction trace length exceeded")]
    MaxInstructionTraceLengthExceeded,
    /// A builtin consumed no compute units.
    #[error("Builtin programs must consume compute units")]
    BuiltinProgramsMustConsumeComputeUnits,
}

/// Why a transaction failed or was rejected. Variant names are Agave's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TransactionError {
    /// An account is already locked by another transaction.
    #[error("Account in use")]
    AccountInUse,
    /// A key appears twice in the message.
    #[error("Account loaded twice")]
    AccountLoadedTwice,
    /// The fee payer (or another required account) does not exist.
    #[error("Attempt to debit an account but found no record of a prior credit.")]
    AccountNotFound,
    /// An invoked program account does not exist.
    #[error("Attempt to load a program that does not exist")]
    ProgramAccountNotFound,
    /// The fee payer cannot pay the fee.
    #[error("Insufficient funds for fee")]
    InsufficientFundsForFee,
    /// The fee payer cannot pay fees (wrong owner or not writable).
    #[error("This account may not be used to pay transaction fees")]
    InvalidAccountForFee,
    /// The signature was already processed.
    #[error("This transaction has already been processed")]
    AlreadyProcessed,
    /// The recent blockhash is not known.
    #[error("Blockhash not found")]
    BlockhashNotFound,
    /// Instruction `index` failed.
    #[error("Error processing Instruction {0}: {1}")]
    InstructionError(u8, InstructionError),
    /// The loader call chain is too deep.
    #[error("Loader call chain is too deep")]
    CallChainTooDeep,
    /// The fee payer did not sign.
    #[error("Transaction requires a fee but has no signature present")]
    MissingSignatureForFee,
    /// An account index is out of range.
    #[error("Transaction contains an invalid account reference")]
    InvalidAccountIndex,
    /// A signature does not verify.
    #[error("Transaction did not pass signature verification")]
    SignatureFailure,
    /// A program cannot be executed.
    #[error("This program may not be used for executing instructions")]
    InvalidProgramForExecution,
    /// The message is malformed.
    #[error("Transaction failed to sanitize accounts offsets correctly")]
    SanitizeFailure,
    /// The cluster is under maintenance.
    #[error("Transactions are currently disabled due to cluster maintenance")]
    ClusterMaintenance,
    /// A borrow remained outstanding.
    #[error("Transaction processing left an account with an outstanding borrowed reference")]
    AccountBorrowOutstanding,
    /// Block cost limit.
    #[error("Transaction would exceed max Block Cost Limit")]
    WouldExceedMaxBlockCostLimit,
    /// Unsupported message version.
    #[error("Transaction version is unsupported")]
    UnsupportedVersion,
    /// A writable account cannot be written.
    #[error("Transaction loads a writable account that cannot be written")]
    InvalidWritableAccount,
    /// Account cost limit.
    #[error("Transaction would exceed max account limit within the block")]
    WouldExceedMaxAccountCostLimit,
    /// Account data block limit.
    #[error("Transaction would exceed account data limit within the block")]
    WouldExceedAccountDataBlockLimit,
    /// More account locks than allowed.
    #[error("Transaction locked too many accounts")]
    TooManyAccountLocks,
    /// Address lookup table not found.
    #[error("Transaction loads an address table account that doesn't exist")]
    AddressLookupTableNotFound,
    /// Wrong owner for an address lookup table.
    #[error("Transaction loads an address table account with an invalid owner")]
    InvalidAddressLookupTableOwner,
    /// Bad address lookup table data.
    #[error("Transaction loads an address table account with invalid data")]
    InvalidAddressLookupTableData,
    /// Bad address lookup table index.
    #[error("Transaction address table lookup uses an invalid index")]
    InvalidAddressLookupTableIndex,
    /// A rent-paying account is invalid.
    #[error("Transaction leaves an account with a lower balance than rent-exempt minimum")]
    InvalidRentPayingAccount,
    /// Vote cost limit.
    #[error("Transaction would exceed max Vote Cost Limit")]
    WouldExceedMaxVoteCostLimit,
    /// Total account data limit.
    #[error("Transaction would exceed total account data limit")]
    WouldExceedAccountDataTotalLimit,
    /// An instruction appears twice.
    #[error("Transaction contains a duplicate instruction ({0}) that is not allowed")]
    DuplicateInstruction(u8),
    /// An account would be left below the rent-exempt minimum.
    #[error(
        "Transaction results in an account ({account_index}) with insufficient funds for rent"
    )]
    InsufficientFundsForRent {
        /// The account's index in the message.
        account_index: u8,
    },
    /// Loaded account data exceeds the limit.
    #[error("Transaction exceeded max loaded accounts data size cap")]
    MaxLoadedAccountsDataSizeExceeded,
    /// The loaded data size limit is invalid.
    #[error("LoadedAccountsDataSizeLimit set for transaction must be greater than 0.")]
    InvalidLoadedAccountsDataSizeLimit,
    /// The transaction must be sanitized again.
    #[error("ResanitizationNeeded")]
    ResanitizationNeeded,
    /// Program execution is temporarily restricted.
    #[error("Execution of the program referenced by account at index {account_index} is temporarily restricted.")]
    ProgramExecutionTemporarilyRestricted {
        /// The account's index in the message.
        account_index: u8,
    },
    /// The lamport sum changed across the transaction (§3).
    #[error("Sum of account balances before and after transaction do not match")]
    UnbalancedTransaction,
    /// Program cache limit.
    #[error("Program cache hit max limit")]
    ProgramCacheHitMaxLimit,
    /// The commit was cancelled.
    #[error("CommitCancelled")]
    CommitCancelled,
}
