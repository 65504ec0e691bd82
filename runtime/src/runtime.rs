//! The [`Runtime`]: its state, the builder, and the engine faults.
//!
//! The accounts API (accounts, programs, blockhashes, single instructions)
//! is in `accounts.rs`; the batch pipeline ([`Runtime::execute_batch`]) in
//! `batch/`, one file per stage.

use std::path::Path;
use std::sync::Arc;

use baton_accounts_db::{AccountsStore, DurableAccounts, InMemoryAccounts, StoreError};
use baton_executor::sysvar::SysvarError;
use baton_executor::{ExecutionConfig, Program, ProgramRegistry, SysvarCache};
use baton_scheduler::Scheduler;
use baton_types::{ids, Account, Hash, Pubkey};
use rustc_hash::FxHashMap;

use crate::blockhashes::RecentBlockhashes;

use crate::batch::collect::Outbox;
use crate::history::SignatureHistory;

/// Default most accounts one transaction may lock (Agave's limit).
pub const DEFAULT_ACCOUNT_LOCK_LIMIT: usize = 64;
/// The largest account lock limit that may be configured.
pub const MAX_ACCOUNT_LOCK_LIMIT: usize = 128;

/// The blockhash every new runtime starts with.
pub fn genesis_blockhash() -> Hash {
    Hash::hashv(&[b"baton genesis"])
}

/// Engine faults: storage and configuration problems, never transaction failures.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The account store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A sysvar account holds data that does not decode.
    #[error(transparent)]
    Sysvar(#[from] SysvarError),
    /// An airdrop would overflow the account's balance.
    #[error("airdrop of {lamports} lamports to {key} overflows its balance")]
    LamportsOverflow {
        /// The account.
        key: Pubkey,
        /// The amount.
        lamports: u64,
    },
    /// The account lock limit is out of range.
    #[error("account lock limit {0} is out of range 1..={MAX_ACCOUNT_LOCK_LIMIT}")]
    LockLimit(usize),
}

/// The Baton engine: an account store, programs, sysvars, and a batch
/// pipeline that runs transactions in parallel with serial semantics.
pub struct Runtime {
    pub(crate) store: Arc<dyn AccountsStore>,
    pub(crate) programs: ProgramRegistry,
    pub(crate) sysvars: SysvarCache,
    pub(crate) config: ExecutionConfig,
    pub(crate) sigverify: bool,
    pub(crate) blockhash_check: bool,
    pub(crate) history: Option<SignatureHistory>,
    /// Signatures per blockhash the history makes room for ahead (0: grow).
    pub(crate) history_capacity: usize,
    pub(crate) blockhashes: RecentBlockhashes,
    pub(crate) lock_limit: usize,
    pub(crate) threads: usize,
    pub(crate) scheduler: Option<Scheduler>,
    pub(crate) store_errors: Vec<StoreError>,
    /// Copies of the accounts at reserved ids (builtin programs, sysvars).
    /// No transaction can write them — reserved ids are never writable — so
    /// transactions read them here instead of taking a store lock that every
    /// worker would contend for. Refreshed whenever the runtime writes one.
    pub(crate) reserved: FxHashMap<Pubkey, Account>,
    /// The result lists of parallel batches, kept with their capacity from
    /// one batch to the next.
    pub(crate) outbox: Option<Outbox>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("accounts", &self.store.len())
            .field("programs", &self.programs)
            .field("sigverify", &self.sigverify)
            .field("blockhash_check", &self.blockhash_check)
            .field("history", &self.history.is_some())
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime with an empty in-memory store, the builtin programs
    /// (system, compute budget and token), the Address Lookup Table
    /// program as Agave 4.2 runs it (a Core BPF program: an sBPF ELF owned
    /// by the upgradeable loader, compiled on first use), the sysvars,
    /// signature checks, blockhash checks and transaction history on, log
    /// collection on, and one worker thread per core.
    pub fn new() -> Self {
        Self::with_store(Arc::new(InMemoryAccounts::new()))
    }

    /// Move this runtime onto the durable store file at `path` (created
    /// when absent, reopened with its accounts when present): every account
    /// of the current store (builtin programs, sysvars and whatever was set
    /// so far) is written over the file's and made durable, and the file's
    /// other accounts are kept. Call it right after [`Runtime::new`] and the
    /// `with_*` settings. Each batch then commits atomically (see
    /// [`Runtime::execute_batch`]); reopening the file gives the same
    /// accounts and state hash. The runtime's blockhashes, slot and
    /// signature history are not stored.
    ///
    /// # Errors
    ///
    /// [`RuntimeError::Store`] when the file cannot be opened or written
    /// (see [`DurableAccounts::open`]).
    pub fn with_storage(self, path: impl AsRef<Path>) -> Result<Self, RuntimeError> {
        self.with_storage_options(path, baton_accounts_db::DurableOptions::default())
    }

    /// [`Runtime::with_storage`] with `options` for the durable store, such
    /// as a page cache small enough to run a state larger than memory (see
    /// [`DurableOptions`](baton_accounts_db::DurableOptions)).
    ///
    /// # Errors
    ///
    /// As [`Runtime::with_storage`].
    pub fn with_storage_options(
        mut self,
        path: impl AsRef<Path>,
        options: baton_accounts_db::DurableOptions,
    ) -> Result<Self, RuntimeError> {
        let store: Arc<dyn AccountsStore> = Arc::new(DurableAccounts::open_with(path, &options)?);
        let mut current = Vec::with_capacity(self.store.len());
        self.store
            .for_each_account(&mut |k, a| current.push((k, a)))?;
        store.commit(&current)?;
        store.end_batch()?;
        self.store = store;
        // Deployed programs are now read from the file's accounts.
        self.install_program_source();
        let reserved: Vec<Pubkey> = self.reserved.keys().copied().collect();
        for key in &reserved {
            self.refresh_reserved(key);
        }
        Ok(self)
    }

    /// A runtime over `store`. Builtin program and sysvar accounts are
    /// written into it, and the Core BPF programs' (the Address Lookup
    /// Table program, as Agave 4.2 runs it: see [`Runtime::new`]).
    pub fn with_store(store: Arc<dyn AccountsStore>) -> Self {
        let genesis = genesis_blockhash();
        let mut rt = Self {
            store,
            programs: ProgramRegistry::new(),
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
            sigverify: true,
            blockhash_check: true,
            history: Some(SignatureHistory::default()),
            history_capacity: 0,
            blockhashes: RecentBlockhashes::new(genesis),
            lock_limit: DEFAULT_ACCOUNT_LOCK_LIMIT,
            threads: 0,
            scheduler: None,
            store_errors: Vec::new(),
            reserved: FxHashMap::default(),
            outbox: None,
        };
        rt.sync_recent_blockhashes();
        rt.add_builtin(
            ids::SYSTEM_PROGRAM,
            Arc::new(baton_programs::system::SystemProgram),
        );
        rt.add_builtin(
            ids::COMPUTE_BUDGET_PROGRAM,
            Arc::new(baton_programs::compute_budget::ComputeBudgetProgram),
        );
        rt.add_builtin(
            ids::TOKEN_PROGRAM,
            Arc::new(baton_programs::token::TokenProgram),
        );
        rt.install_program_source();
        rt.write_core_bpf_programs();
        rt
    }

    /// Let the registry find the programs deployed in this runtime's store
    /// (any loader-v2, v3 or v4 program, however its accounts were
    /// written), compiled on first use with the execution settings into a
    /// cache the batch's threads share (see [`ProgramRegistry`]).
    fn install_program_source(&mut self) {
        let store = self.store.clone();
        let source = baton_sbpf::DeployedPrograms::new(
            move |key: &Pubkey| store.load(key),
            baton_sbpf::Mode::Jit,
        );
        self.programs.set_source(Some(Arc::new(source)));
    }

    /// Write the Core BPF programs' accounts at genesis, as Agave's
    /// migration leaves them: the Address Lookup Table program
    /// (`AddressLookupTab1e1111111111111111111111111`) as an
    /// upgradeable-loader program with its programdata (deployed at the
    /// current slot, no upgrade authority). Nothing is compiled here: the
    /// program is compiled the first time a transaction invokes it, so a
    /// new runtime stays cheap. It costs compute units as any sBPF
    /// program, not as a builtin.
    fn write_core_bpf_programs(&mut self) {
        let accounts =
            baton_sbpf::core_bpf::genesis_accounts(&self.sysvars.rent, self.sysvars.clock.slot);
        self.record_store_result(self.store.commit(&accounts));
        self.record_store_result(self.store.end_batch());
        for (key, _) in &accounts {
            self.refresh_reserved(key);
        }
    }

    // ----- builder -----

    /// Check transaction signatures (on by default). Off is for benchmarks
    /// and tests that build unsigned transactions.
    ///
    /// In a debug build of a crate embedding `baton`, checking is slow
    /// (2–4 ms per signed transaction) unless the crypto crates are
    /// optimized in that crate's `dev` profile:
    ///
    /// ```toml
    /// [profile.dev.package.curve25519-dalek]
    /// opt-level = 3
    ///
    /// [profile.dev.package.ed25519-dalek]
    /// opt-level = 3
    ///
    /// [profile.dev.package.sha2]
    /// opt-level = 3
    /// ```
    ///
    /// (1,000 signed transactions: 2.1–3.8 s to 0.06–0.09 s; see the
    /// [crate docs](crate#debug-builds-of-an-embedding-crate)). Tests that
    /// do not need signatures may turn checking off instead.
    pub fn with_sigverify(mut self, on: bool) -> Self {
        self.sigverify = on;
        self
    }

    /// Reject transactions whose recent blockhash is unknown (on by default).
    pub fn with_blockhash_check(mut self, on: bool) -> Self {
        self.blockhash_check = on;
        self
    }

    /// Reject transactions whose signature was already processed (on by default).
    pub fn with_transaction_history(mut self, on: bool) -> Self {
        self.history = on.then(SignatureHistory::default);
        self.prepare_history();
        self
    }

    /// Make room in the signature history for `signatures` transactions per
    /// blockhash ahead of time (0, the default: the history grows as it
    /// fills). The table of the current blockhash is allocated and written
    /// now, and the table of each new blockhash when
    /// [`expire_blockhash`](Self::expire_blockhash) makes it current
    /// (reusing the memory of the one that expired), so that no batch
    /// waits on a table growing: without it, the batch that crosses a size
    /// doubling rehashes every signature recorded so far under its
    /// blockhash (1.3 ms at 131,072 of them on the project's VM) and maps
    /// the bigger table's pages.
    ///
    /// Each live blockhash (up to 151) keeps its own table of 37 to 73
    /// bytes per signature of capacity (a power-of-two number of 16-byte
    /// slots), so size it for the transactions one blockhash really sees.
    /// Transactions beyond it are still recorded (the table grows then),
    /// and so are those naming an older blockhash.
    pub fn with_history_capacity(mut self, signatures: usize) -> Self {
        self.history_capacity = signatures;
        self.prepare_history();
        self
    }

    /// Make the history's room for the current blockhash.
    pub(crate) fn prepare_history(&mut self) {
        let current = self.latest_blockhash();
        if let Some(h) = &mut self.history {
            h.prepare(current, self.history_capacity);
        }
    }

    /// Collect log lines (on by default).
    pub fn with_log_collection(mut self, on: bool) -> Self {
        self.config.collect_logs = on;
        self
    }

    /// Worker threads for the scheduler and signature checks; 0 means one per core.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self.scheduler = None;
        self
    }

    /// Replace the execution limits (compute, depth, fees, logs).
    pub fn with_config(mut self, config: ExecutionConfig) -> Self {
        self.config = config;
        self
    }

    /// Most accounts a transaction may lock (64 by default, at most 128).
    pub fn with_account_lock_limit(mut self, limit: usize) -> Result<Self, RuntimeError> {
        if limit == 0 || limit > MAX_ACCOUNT_LOCK_LIMIT {
            return Err(RuntimeError::LockLimit(limit));
        }
        self.lock_limit = limit;
        Ok(self)
    }

    /// Register `program` at `id` and give it an executable account.
    pub fn with_program(mut self, id: Pubkey, program: Arc<dyn Program>) -> Self {
        self.add_program(id, program);
        self
    }

    // ----- accounts and programs -----

    /// Register `program` at `id` and store an executable program account
    /// for it, replacing whatever was at `id`.
    pub fn add_program(&mut self, id: Pubkey, program: Arc<dyn Program>) {
        self.add_builtin(id, program);
    }

    fn add_builtin(&mut self, id: Pubkey, program: Arc<dyn Program>) {
        let account = Account {
            lamports: 1,
            data: program.account_name().as_bytes().to_vec(),
            owner: ids::NATIVE_LOADER,
            executable: true,
            rent_epoch: 0,
        };
        self.programs.add(id, program);
        self.record_store_result(self.store.commit(&[(id, account)]));
        self.record_store_result(self.store.end_batch());
        self.refresh_reserved(&id);
    }
}
