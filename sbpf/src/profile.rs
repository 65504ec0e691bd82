//! The one pinned execution profile: which Agave 4.2.2 behaviour Baton
//! reproduces, as data rather than as scattered constants.
//!
//! Baton implements the **copy profile** of `docs/sbpf.md` §2.3: Agave 4.2.2
//! with every feature of `SVMFeatureSet::all_enabled()` on except the four
//! memory features Mollusk's copy profile turns off. Account data is copied
//! into the input region and read back after the program returns, so a write
//! to a read-only account is caught at read-back (`ReadonlyDataModified`,
//! the units used so far) instead of trapping (the whole budget).

use solana_sbpf::program::SBPFVersion;
use solana_sbpf::vm::Config;

/// Compute-unit costs of the syscalls: Agave's
/// `SVMTransactionExecutionCost::default()`, the same in 4.2.2 and 4.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyscallCosts {
    /// Base charge of most syscalls (logs, return data, stack height).
    pub syscall_base_cost: u64,
    /// `sol_log_64_`.
    pub log_64_units: u64,
    /// `sol_log_pubkey`.
    pub log_pubkey_units: u64,
    /// `sol_create_program_address`, and each bump `sol_try_find_program_address` tries.
    pub create_program_address_units: u64,
    /// Base charge of `sol_sha256` and `sol_keccak256`.
    pub sha256_base_cost: u64,
    /// Charge per two hashed bytes of one slice (floored, at least `mem_op_base_cost`).
    pub sha256_byte_cost: u64,
    /// Most slices one hash syscall accepts.
    pub sha256_max_slices: u64,
    /// Least charge of a memory operation.
    pub mem_op_base_cost: u64,
    /// Bytes charged one unit by memory operations, return data and CPI.
    pub cpi_bytes_per_unit: u64,
    /// Base charge of the sysvar getters.
    pub sysvar_base_cost: u64,
    /// Base charge of a CPI from sBPF.
    pub invoke_units: u64,
}

impl SyscallCosts {
    /// Agave's default costs.
    pub const AGAVE: SyscallCosts = SyscallCosts {
        syscall_base_cost: 100,
        log_64_units: 100,
        log_pubkey_units: 100,
        create_program_address_units: 1_500,
        sha256_base_cost: 85,
        sha256_byte_cost: 1,
        sha256_max_slices: 20_000,
        mem_op_base_cost: 10,
        cpi_bytes_per_unit: 250,
        sysvar_base_cost: 100,
        invoke_units: 946,
    };

    /// The charge of a memory operation on `n` bytes: `max(10, n / 250)`.
    pub fn mem_op(&self, n: u64) -> u64 {
        self.mem_op_base_cost.max(n / self.cpi_bytes_per_unit)
    }
}

/// The pinned execution profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionProfile {
    /// A name for reports and docs.
    pub name: &'static str,
    /// Agave release whose behaviour this is.
    pub agave_version: &'static str,
    /// SBPF-to-SBPF call depth (frames of the VM stack).
    pub max_call_depth: usize,
    /// Bytes per VM stack frame.
    pub stack_frame_size: usize,
    /// Bytes of heap (Baton has no compute-budget program, so always the default).
    pub heap_size: usize,
    /// Bytes an account may grow by in one instruction, kept free after its
    /// data in the input region.
    pub max_permitted_data_increase: usize,
    /// Distance between the JIT's instruction-meter checks.
    pub instruction_meter_checkpoint_distance: usize,
    /// The JIT's rate of random no-ops (hardening).
    pub noop_instruction_rate: u32,
    /// The JIT blinds immediates from the program (hardening).
    pub sanitize_user_provided_values: bool,
    /// Lowest and highest SBPF version accepted.
    pub sbpf_versions: (SBPFVersion, SBPFVersion),
    /// SIMD-0219 traps (`account_data_direct_mapping`,
    /// `virtual_address_space_adjustments`): off in this profile.
    pub direct_mapping: bool,
    /// SIMD-0449 account pointers in the input: off in this profile.
    pub direct_account_pointers_in_program_input: bool,
    /// `raise_cpi_nesting_limit_to_8`: off (Baton's depth is 5).
    pub raise_cpi_nesting_limit_to_8: bool,
    /// `syscall_parameter_address_restrictions`: on.
    pub syscall_parameter_address_restrictions: bool,
    /// `deplete_cu_meter_on_vm_failure`: a VM fault other than a syscall
    /// error consumes every remaining unit. On.
    pub deplete_cu_meter_on_vm_failure: bool,
    /// Syscall costs.
    pub costs: SyscallCosts,
}

/// The copy profile of Agave 4.2.2 (`docs/sbpf.md` §2.3).
pub const COPY_PROFILE: ExecutionProfile = ExecutionProfile {
    name: "agave-4.2.2-copy",
    agave_version: "4.2.2",
    max_call_depth: 64,
    stack_frame_size: 4_096,
    heap_size: 32 * 1024,
    max_permitted_data_increase: 10 * 1024,
    instruction_meter_checkpoint_distance: 10_000,
    noop_instruction_rate: 256,
    sanitize_user_provided_values: true,
    sbpf_versions: (SBPFVersion::V0, SBPFVersion::V3),
    direct_mapping: false,
    direct_account_pointers_in_program_input: false,
    raise_cpi_nesting_limit_to_8: false,
    syscall_parameter_address_restrictions: true,
    deplete_cu_meter_on_vm_failure: true,
    costs: SyscallCosts::AGAVE,
};

impl ExecutionProfile {
    /// solana-sbpf's `Config` for this profile. `deploy` selects the
    /// deployment settings (`reject_broken_elfs`), which refuse ELFs that
    /// loaders accepted before the checks existed.
    pub fn vm_config(&self, deploy: bool) -> Config {
        Config {
            max_call_depth: self.max_call_depth,
            stack_frame_size: self.stack_frame_size,
            enable_address_translation: true,
            enable_stack_frame_gaps: true,
            instruction_meter_checkpoint_distance: self.instruction_meter_checkpoint_distance,
            enable_instruction_meter: true,
            enable_symbol_and_section_labels: false,
            reject_broken_elfs: deploy,
            noop_instruction_rate: self.noop_instruction_rate,
            sanitize_user_provided_values: self.sanitize_user_provided_values,
            optimize_rodata: false,
            aligned_memory_mapping: true,
            enabled_sbpf_versions: self.sbpf_versions.0..=self.sbpf_versions.1,
        }
    }

    /// Bytes of VM stack per frame of memory: frames times frame size.
    pub fn stack_size(&self) -> usize {
        self.max_call_depth * self.stack_frame_size
    }
}
