//! Execution limits and switches.

/// Lamports charged per signature, as on Solana mainnet.
pub const DEFAULT_LAMPORTS_PER_SIGNATURE: u64 = 5_000;
/// Compute units granted per top-level instruction.
pub const DEFAULT_UNITS_PER_INSTRUCTION: u64 = 200_000;
/// Most compute units a transaction may have.
pub const MAX_COMPUTE_UNIT_LIMIT: u64 = 1_400_000;
/// Instruction stack height: the top level plus four nested CPIs (§4.6).
pub const DEFAULT_MAX_CALL_DEPTH: usize = 5;
/// Most instructions (top level and CPIs) one transaction may run (§4.6).
pub const MAX_INSTRUCTION_TRACE_LENGTH: usize = 64;
/// Most bytes one instruction may grow an account by, over its length at the
/// instruction's start, for non-builtin programs (§2.3).
pub const MAX_PERMITTED_DATA_INCREASE: usize = 10 * 1024;
/// Most bytes of account growth in one transaction (§2.3).
pub const MAX_PERMITTED_ACCOUNTS_DATA_ALLOCATIONS_PER_TRANSACTION: i64 = 20 * 1024 * 1024;
/// Most bytes of return data (§6).
pub const MAX_RETURN_DATA: usize = 1024;

/// Limits and switches of one execution.
#[derive(Debug, Clone)]
pub struct ExecutionConfig {
    /// Lamports charged per required signature.
    pub lamports_per_signature: u64,
    /// Compute units granted per top-level instruction, capped at `max_compute_units`.
    pub units_per_instruction: u64,
    /// Cap on a transaction's compute units.
    pub max_compute_units: u64,
    /// Instruction stack height (5 by default; SIMD-0268 raises it to 9).
    pub max_call_depth: usize,
    /// Most instructions in one transaction's trace.
    pub max_instruction_trace_length: usize,
    /// Whether to collect log lines. Off saves formatting work in benchmarks;
    /// results then carry no logs.
    pub collect_logs: bool,
}

impl Default for ExecutionConfig {
    fn default() -> Self {
        Self {
            lamports_per_signature: DEFAULT_LAMPORTS_PER_SIGNATURE,
            units_per_instruction: DEFAULT_UNITS_PER_INSTRUCTION,
            max_compute_units: MAX_COMPUTE_UNIT_LIMIT,
            max_call_depth: DEFAULT_MAX_CALL_DEPTH,
            max_instruction_trace_length: MAX_INSTRUCTION_TRACE_LENGTH,
            collect_logs: true,
        }
    }
}

impl ExecutionConfig {
    /// The compute limit of a transaction with `n` top-level instructions.
    pub fn compute_limit(&self, n: usize) -> u64 {
        self.units_per_instruction
            .saturating_mul(n as u64)
            .min(self.max_compute_units)
    }
}

/// The default heap of an sBPF program, in bytes (32 KiB).
pub const DEFAULT_HEAP_SIZE: u32 = 32 * 1024;
/// The default limit on a transaction's loaded-accounts data size (64 MiB).
pub const MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES: u32 = 64 * 1024 * 1024;

/// One transaction's limits and prioritization fee, as its compute-budget
/// instructions set them (or their defaults): what the executor meters and
/// charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionBudget {
    /// Compute units the transaction may consume.
    pub compute_unit_limit: u64,
    /// Lamports charged on top of the base fee (`ceil(price × limit / 10⁶)`).
    pub prioritization_fee: u64,
    /// Most bytes of account data the transaction may load (SIMD-0186).
    pub loaded_accounts_data_size_limit: u64,
    /// Heap bytes each sBPF program gets.
    pub heap_size: u32,
}

impl TransactionBudget {
    /// The defaults under `config` for a message of `n` top-level
    /// instructions: the config's units per instruction, no prioritization
    /// fee, 64 MiB of loaded data, a 32 KiB heap.
    pub fn default_for(config: &ExecutionConfig, n: usize) -> Self {
        Self {
            compute_unit_limit: config.compute_limit(n),
            prioritization_fee: 0,
            loaded_accounts_data_size_limit: u64::from(MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES),
            heap_size: DEFAULT_HEAP_SIZE,
        }
    }
}
