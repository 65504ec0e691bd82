//! The system program: account creation, lamport transfers, seeded
//! addresses and durable nonces, as Agave's `solana-system-program`.
//!
//! [`SystemProgram`] charges [`DEFAULT_COMPUTE_UNITS`] (150) before anything
//! else, decodes the data ([`SystemInstruction::decode`]: Solana's bincode
//! encoding) and runs the instruction, one file and one struct per
//! instruction:
//!
//! | tag | instruction |
//! | --- | --- |
//! | 0 | [`CreateAccount`] |
//! | 1 | [`Assign`] |
//! | 2 | [`Transfer`] |
//! | 3 | [`CreateAccountWithSeed`] |
//! | 4 | [`AdvanceNonceAccount`] |
//! | 5 | [`WithdrawNonceAccount`] |
//! | 6 | [`InitializeNonceAccount`] |
//! | 7 | [`AuthorizeNonceAccount`] |
//! | 8 | [`Allocate`] |
//! | 9 | [`AllocateWithSeed`] |
//! | 10 | [`AssignWithSeed`] |
//! | 11 | [`TransferWithSeed`] |
//! | 12 | [`UpgradeNonceAccount`] |
//! | 13 | [`CreateAccountAllowPrefund`] (SIMD-0312, active in the target) |
//!
//! Checks, their order and their errors are Agave's; program errors are
//! [`SystemError`] codes in `InstructionError::Custom`. Log lines are
//! Agave's `ic_msg!` lines (written as they are, without the
//! `Program log: ` prefix that only a program's own `sol_log` gets), and
//! are formatted only when log collection is on.
//!
//! Nonce instructions take "the current blockhash" from the newest entry of
//! the RecentBlockhashes sysvar, which is what Agave's bank blockhash is.
//!
//! Clients build instructions with [`instruction`]'s builders
//! (`system::instruction::transfer(&from, &to, lamports)`), which produce
//! the same bytes and metas as `solana-system-interface`.

/// Agave's `ic_msg!`: write a log line, formatting it only when log
/// collection is on.
macro_rules! ic_msg {
    ($ctx:expr, $($arg:tt)*) => {
        if $ctx.log_enabled() {
            $ctx.log_line(format!($($arg)*));
        }
    };
}

mod serde_bytes32;
mod shared;

pub mod error;
pub mod instruction;
pub mod nonce;

mod advance_nonce_account;
mod allocate;
mod allocate_with_seed;
mod assign;
mod assign_with_seed;
mod authorize_nonce_account;
mod create_account;
mod create_account_allow_prefund;
mod create_account_with_seed;
mod initialize_nonce_account;
mod transfer;
mod transfer_with_seed;
mod upgrade_nonce_account;
mod withdraw_nonce_account;

pub use advance_nonce_account::AdvanceNonceAccount;
pub use allocate::Allocate;
pub use allocate_with_seed::AllocateWithSeed;
pub use assign::Assign;
pub use assign_with_seed::AssignWithSeed;
pub use authorize_nonce_account::AuthorizeNonceAccount;
pub use create_account::CreateAccount;
pub use create_account_allow_prefund::CreateAccountAllowPrefund;
pub use create_account_with_seed::CreateAccountWithSeed;
pub use error::SystemError;
pub use initialize_nonce_account::InitializeNonceAccount;
pub use instruction::SystemInstruction;
pub use transfer::Transfer;
pub use transfer_with_seed::TransferWithSeed;
pub use upgrade_nonce_account::UpgradeNonceAccount;
pub use withdraw_nonce_account::WithdrawNonceAccount;

use baton_executor::{InvokeContext, Program};
use baton_types::{ids, InstructionError, Pubkey};

/// The system program's id (all zeroes, `11111111111111111111111111111111`).
pub const ID: Pubkey = ids::SYSTEM_PROGRAM;

/// Compute units every system instruction costs, charged before decoding
/// (Agave's `DEFAULT_COMPUTE_UNITS` for the system program).
pub const DEFAULT_COMPUTE_UNITS: u64 = 150;

/// The system program as a builtin [`Program`]; register it at [`ID`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemProgram;

impl Program for SystemProgram {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(DEFAULT_COMPUTE_UNITS)?;
        let ctx: &InvokeContext<'_> = ctx;
        match SystemInstruction::decode(data)? {
            SystemInstruction::CreateAccount(ix) => ix.process(ctx),
            SystemInstruction::Assign(ix) => ix.process(ctx),
            SystemInstruction::Transfer(ix) => ix.process(ctx),
            SystemInstruction::CreateAccountWithSeed(ix) => ix.process(ctx),
            SystemInstruction::AdvanceNonceAccount(ix) => ix.process(ctx),
            SystemInstruction::WithdrawNonceAccount(ix) => ix.process(ctx),
            SystemInstruction::InitializeNonceAccount(ix) => ix.process(ctx),
            SystemInstruction::AuthorizeNonceAccount(ix) => ix.process(ctx),
            SystemInstruction::Allocate(ix) => ix.process(ctx),
            SystemInstruction::AllocateWithSeed(ix) => ix.process(ctx),
            SystemInstruction::AssignWithSeed(ix) => ix.process(ctx),
            SystemInstruction::TransferWithSeed(ix) => ix.process(ctx),
            SystemInstruction::UpgradeNonceAccount(ix) => ix.process(ctx),
            SystemInstruction::CreateAccountAllowPrefund(ix) => ix.process(ctx),
        }
    }

    fn is_builtin(&self) -> bool {
        true
    }

    fn account_name(&self) -> &'static str {
        "solana_system_program"
    }
}
