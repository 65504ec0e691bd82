//! # Baton
//!
//! A multithreaded batch execution engine for Solana-style transactions.
//! This is the facade crate: it wires the account store, the scheduler, the
//! executor and the builtin programs into one [`Runtime`], and re-exports
//! the parts an embedder needs: the types, the store traits and stores, the
//! executor's program interface, the builtins ([`system`], [`token`]), the
//! program SDK ([`sdk`], [`msg!`]) and the scheduler. It does not re-export
//! the example programs (`baton-examples`) or the scenario runner
//! (`baton-scenario`), which build on it.
//!
//! Depends on `baton-types`, `baton-accounts-db`, `baton-scheduler`,
//! `baton-executor`, `baton-programs` and `baton-sdk`; it is the only crate
//! that wires the store, the scheduler and the executor together. Depended
//! on by `baton-scenario`, the CLI, the benches, fuzz-support and the
//! examples' tests. Inside: `runtime.rs` (the state and the builder),
//! `accounts.rs` (the accounts API), `sysvars.rs` (reading and setting
//! sysvars, the clock, rent), `simulate.rs` (running a transaction without
//! keeping it), `check.rs` (Mollusk-style checks on one instruction),
//! `batch/` (the pipeline, one file per stage) and `history.rs` (the
//! signature history).
//!
//! ```
//! use baton::{Runtime, Keypair, system, Transaction};
//!
//! let mut rt = Runtime::new().with_sigverify(true);
//! let alice = Keypair::from_seed(&[1; 32]);
//! let bob = baton::Pubkey::new_from_u64(2);
//! rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
//! let ix = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
//! let tx = Transaction::new_signed_with_payer(&[ix], Some(&alice.pubkey()), &[&alice], rt.latest_blockhash()).unwrap();
//! let results = rt.execute_batch(&[tx]);
//! assert!(results[0].status.is_ok());
//! assert_eq!(rt.account(&bob).unwrap().lamports, 1_000_000);
//! ```
//!
//! # Debug builds of an embedding crate
//!
//! Cargo builds dependencies unoptimized in the `dev` profile, and ed25519
//! verification then costs 2–4 ms per signed transaction (1,000 of them:
//! 2.1–3.8 s in `execute_batch`, measured on 2 cores; 0.009 s with
//! signature checks off). Cargo ignores this workspace's profiles when
//! `baton` is a dependency, so put these lines in the root `Cargo.toml` of
//! yours (0.06–0.09 s for the same batch, about 7 s more for a cold
//! build):
//!
//! ```toml
//! [profile.dev.package.curve25519-dalek]
//! opt-level = 3
//!
//! [profile.dev.package.ed25519-dalek]
//! opt-level = 3
//!
//! [profile.dev.package.sha2]
//! opt-level = 3
//! ```
//!
//! Or turn signature checks off in tests that do not need them
//! ([`Runtime::with_sigverify`]). `docs/embedding.md` in the repository
//! has the measurements, crate by crate.
//!
//! # Semantics
//!
//! A batch executes as if its transactions ran one at a time in batch
//! order: same states, results, logs and compute units, whatever the thread
//! count. Stateless checks (sanitizing, signature verification) run in
//! parallel first (on two threads, without signatures to verify,
//! admission makes them instead); then, in waves of 512 transactions on
//! two threads, 1,024 from four (after a ramp of a 32nd, an 8th and half
//! of a wave), the calling thread
//! admits each wave in order (locks, blockhash, history) and builds its
//! dependency graph while the worker pool executes the previous wave (the
//! calling thread then joins that wave as a worker), each transaction
//! released as soon as the earlier ones it conflicts with have finished
//! (see `baton_scheduler`). While parallel runs lose to serial ones (the
//! host's cores busy with other work), batches run the one-thread path
//! for a window (`baton_scheduler::hold_serial_for` opens one on
//! purpose). From 8 threads on, where that one calling thread would hold
//! the others back, a batch without durable nonces, none of whose
//! transactions may write a lookup table it looks up (its lookups are then
//! resolved once, in the parallel stateless checks), is planned on every
//! thread instead: its signatures go
//! into the history shard by shard (the earliest occurrence in batch order
//! recorded, later ones refused), every wave's graph is built at once,
//! and the waves run one after the other with the pool staying in the
//! batch ([`baton_scheduler::Scheduler::run_graphs_alongside_local`]).
//! Rejected transactions (malformed, bad signature, lock violations,
//! unknown blockhash, already processed, fee payer unable to pay) change
//! nothing and are charged nothing; executed transactions that fail are
//! charged their fee and change nothing else.

mod accounts;
mod batch;
mod blockhashes;
mod check;
mod deploy;
mod history;
mod lookup;
mod nonce;
mod runtime;
mod simulate;
#[cfg(feature = "solana")]
pub mod solana;
mod sysvars;

pub use batch::budget::FeeDetails;
pub use batch::collect::TransactionResult;
pub use baton_sbpf as sbpf;
pub use check::{AccountCheck, Check, CheckFailure, InstructionOutcomeExt};
pub use deploy::{DeployError, ProgramLoader};
pub use runtime::{genesis_blockhash, Runtime, RuntimeError};
pub use simulate::SimulatedTransaction;
pub use sysvars::Sysvar;

// Every type an embedder or a program author meets in a public signature
// is re-exported here, so that it has a page in this crate's docs; the
// crates themselves are inlined as modules for everything else.
pub use baton_accounts_db::{
    AccountsCommit, AccountsRead, AccountsStore, CorruptReason, DurableAccounts, DurableOptions,
    InMemoryAccounts, SnapshotReader, StateHash, StoreError, StoreFileProblem,
};
pub use baton_executor::{
    sysvar, AuthDescriptor, BorrowedAccount, Clock, ComputeMeter, Environment, ExecutionConfig,
    ExitCode, Flavour, InstructionAccount, InstructionOutcome, InvokeContext, InvokeError, Program,
    ProgramRegistry, Rent, SysvarCache, TransactionContext,
};
pub use baton_programs::{compute_budget, system, token};
pub use baton_scheduler::{LockSet, Scheduler, SchedulerError};
pub use baton_sdk::msg;
pub use baton_types::{
    ids, pda, signing::Keypair, wire, Account, AccountMeta, CompiledInstruction, Hash, Instruction,
    InstructionError, Message, MessageAddressTableLookup, MessageHeader, MessageVersion,
    ParsePubkeyError, PdaError, Pubkey, SignError, Signature, Transaction, TransactionError,
    WireError,
};

/// The account store crate, `baton-accounts-db`: the store traits, the
/// in-memory and durable stores, the state hash and snapshots.
#[doc(inline)]
pub use baton_accounts_db as accounts_db;
/// The executor crate, `baton-executor`: transaction and invoke contexts,
/// the journal, CPI, the compute meter and the `Program` trait.
#[doc(inline)]
pub use baton_executor as executor;
/// The scheduler crate, `baton-scheduler`: lock sets and the dependency
/// graph the batch pipeline runs on.
#[doc(inline)]
pub use baton_scheduler as scheduler;
/// The program SDK, `baton-sdk`: account handles, `CpiContext` and typed
/// calls to the builtins, logs, return data and PDAs.
#[doc(inline)]
pub use baton_sdk as sdk;
/// The types crate, `baton-types`: keys, accounts, instructions, messages,
/// transactions, the wire format, signing and Agave's error enums.
#[doc(inline)]
pub use baton_types as types;

/// What a program module or a test usually imports: `use baton::prelude::*;`.
///
/// The SDK's prelude (the `Program` trait, `InvokeContext` and the account
/// handles, `CpiContext`, `InstructionError`, `Pubkey`, `find_program_address`)
/// plus what builds and sends instructions: `Instruction`, `AccountMeta`,
/// `Account`, `Keypair`, `Transaction`, `Runtime` and the [`msg!`] macro,
/// and what tests one instruction: [`Check`] and
/// [`InstructionOutcomeExt`] (`outcome.account(&key)`).
///
/// ```
/// use baton::prelude::*;
///
/// struct Hello;
///
/// impl Program for Hello {
///     fn process(&self, ctx: &InvokeContext<'_>, _data: &[u8]) -> Result<(), InstructionError> {
///         msg!(ctx, "hello from {}", ctx.program_id());
///         Ok(())
///     }
/// }
///
/// let id = Pubkey::new_from_array([7; 32]);
/// let rt = Runtime::new().with_program(id, std::sync::Arc::new(Hello));
/// let out = rt.process_instruction(&Instruction::new_with_bytes(id, &[], vec![]), &[]);
/// assert!(out.result.is_ok());
/// ```
pub mod prelude {
    pub use crate::{msg, Check, InstructionOutcomeExt, Runtime, TransactionResult};
    pub use baton_sdk::prelude::*;
    pub use baton_types::{signing::Keypair, Account, AccountMeta, Instruction, Transaction};
}

// The README's Rust blocks run as this crate's doc tests, so the first
// program it shows keeps compiling (and passing) with the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
