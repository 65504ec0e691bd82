//! Real Solana programs in Baton: sBPF ELFs run on `solana-sbpf`.
//!
//! [`SbpfProgram`] loads an ELF (verified with Agave's deployment settings,
//! then JIT-compiled once) and implements the executor's
//! [`Program`](baton_executor::Program) trait, so it registers in a
//! [`ProgramRegistry`](baton_executor::ProgramRegistry) like a native
//! program. Each instruction:
//!
//! 1. serializes its accounts and data into the input region with Agave's
//!    aligned ABI ([`serialize`]);
//! 2. runs the program with the syscalls of [`syscalls`] at Agave's costs,
//!    drawing on the transaction's shared compute meter;
//! 3. on success, reads the accounts back through the executor's
//!    `BorrowedAccount` setters, so the mutation rules, the journal, a
//!    failed transaction's rollback and `try_invoke` cover sBPF frames with
//!    no new mechanism.
//!
//! The behaviour is one pinned profile, [`profile::COPY_PROFILE`]: Agave
//! 4.2.2's copy mode (see `docs/sbpf.md` and the struct's fields).
//!
//! `unsafe` code lives in the `vm` module only.

pub mod core_bpf;
pub mod deploy;
pub mod error;
pub mod profile;
pub mod serialize;
pub mod source;
pub mod syscalls;
pub mod sysvars;

mod cpi;
mod program;
mod vm;

pub use deploy::ProgramLoader;
pub use error::{instruction_error_from_u64, LoadError, SyscallError};
pub use profile::{ExecutionProfile, SyscallCosts, COPY_PROFILE};
pub use program::{heap_cost, SbpfProgram};
pub use source::DeployedPrograms;
pub use vm::{Mode, SbpfCtx};
