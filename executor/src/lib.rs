//! The transaction executor of Baton.
//!
//! A transaction runs inside a [`TransactionContext`]: the accounts it
//! loaded, each in a `RefCell`, and a [`journal::Journal`] of undo records.
//! Programs see their instruction through an [`InvokeContext`]: the
//! instruction stack, the shared [`ComputeMeter`], sysvars, logs and return
//! data. They change state only through [`BorrowedAccount`], whose setters
//! check the mutation rules (lamports, data, resize, owner, executable) in
//! Agave's order at every write and journal the old value first.
//!
//! Rollback is by journal, not by copying accounts up front: a failed
//! transaction reverts to the journal's origin, which restores every account
//! as loaded; the fee was taken before the journal started and stays taken.
//! Each CPI frame opens a checkpoint and commits it on success or reverts it
//! on failure, so a catchable invoke needs no new mechanism: `try_invoke`
//! and `try_invoke_auth` (see [`invoke_auth`](InvokeContext::invoke_auth),
//! the explicit-authorization flavour of semantics.md §8, and `docs/invoke-flavours.md`)
//! are that checkpoint, reverted without failing the caller.
//!
//! [`process_message`] runs a whole transaction (fee payer checks, program
//! loading, instructions, rent-state and balance checks) and returns the
//! accounts to commit; the store and the scheduler are the caller's.
//! [`process_instruction`] runs one instruction the way Mollusk does.
//!
//! A section sign (§4, §8.2) cites a section of the rule book,
//! `docs/semantics.md` in the repository (Solana's rules as Agave 4.2.2
//! applies them, and the engine's own invoke flavours).
//!
//! Depends on `baton-types` only (no store, no scheduler, no threads).
//! Depended on by `baton-programs`, `baton-sdk`, the facade `baton` (which
//! gives it the accounts to load and commits what it returns), and the
//! example and scenario crates. Inside, the modules import one way:
//! `journal ← transaction_context ← borrowed_account`, `auth ←
//! invoke_context ← {invoke_auth, processor}` (the Program trait and its
//! registry are a child of `invoke_context`, since a program is called with
//! the context that dispatches to it).

mod account_source;
mod auth;
mod borrowed_account;
mod compute;
pub mod config;
mod invoke_auth;
mod invoke_context;
pub mod journal;
mod processor;
mod rent_state;
pub mod sysvar;
mod transaction_context;

pub use account_source::AccountSource;
pub use auth::{
    AuthDescriptor, ExitCode, Flavour, InvokeError, MAX_AUTH_CALL_DEPTH, MAX_AUTH_ENTRIES,
};
pub use borrowed_account::BorrowedAccount;
pub use compute::ComputeMeter;
pub use config::{
    ExecutionConfig, TransactionBudget, DEFAULT_HEAP_SIZE, MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES,
};
pub use invoke_context::program::{Program, ProgramRegistry, ProgramSource, SourcedProgram};
pub use invoke_context::{
    Environment, InstructionAccount, InvokeContext, ProcessedSibling, ACCOUNT_META_SIZE,
    CPI_BYTES_PER_UNIT, INVOKE_UNITS, LOG_MESSAGES_BYTES_LIMIT, MAX_CPI_ACCOUNT_METAS,
    MAX_CPI_INSTRUCTION_DATA_LEN, MAX_SIGNERS,
};
pub use processor::{
    fee_for, process_instruction, process_loaded_message, process_message, process_nonced_message,
    InstructionOutcome, TransactionOutcome, RENT_EXEMPT_RENT_EPOCH, TRANSACTION_ACCOUNT_BASE_SIZE,
};
pub use rent_state::RentState;
pub use sysvar::{
    Clock, Rent, SlotHash, SlotHashes, SysvarCache, DEFAULT_EXEMPTION_THRESHOLD,
    DEFAULT_LAMPORTS_PER_BYTE_YEAR,
};
pub use transaction_context::{recycle_changes, TransactionContext};
