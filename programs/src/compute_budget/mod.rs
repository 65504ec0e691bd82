//! The compute-budget program, as Agave's `solana-compute-budget-program`
//! and `solana-compute-budget-instruction`.
//!
//! Its instructions do their work before the transaction runs: the runtime
//! reads them ([`ComputeBudgetInstructionDetails::try_from_message`]), then
//! turns them into the transaction's limits and price
//! ([`ComputeBudgetInstructionDetails::sanitize_and_convert`] gives
//! [`ComputeBudgetLimits`]). Executed, each instruction only costs
//! [`DEFAULT_COMPUTE_UNITS`] (150). One file per instruction:
//!
//! | tag | instruction | transaction-level rule |
//! | --- | --- | --- |
//! | 0 | (deprecated `RequestUnits`) | `InvalidInstructionData` |
//! | 1 | [`RequestHeapFrame`] | a multiple of 1,024 in 32–256 KiB, else `InvalidInstructionData` |
//! | 2 | [`SetComputeUnitLimit`] | capped at 1,400,000 |
//! | 3 | [`SetComputeUnitPrice`] | micro-lamports per unit, for the priority fee |
//! | 4 | [`SetLoadedAccountsDataSizeLimit`] | not zero (`InvalidLoadedAccountsDataSizeLimit`), capped at 64 MiB |
//!
//! A kind given twice is `DuplicateInstruction(index)` of the second; data
//! that does not decode (Borsh, trailing bytes allowed as Agave's
//! `try_from_slice_unchecked`) is `InstructionError(index,
//! InvalidInstructionData)`. Without a unit limit, a transaction gets
//! SIMD-0170's default: 200,000 units per non-builtin instruction and 3,000
//! per builtin instruction (compute-budget instructions included).

mod details;
mod request_heap_frame;
mod set_compute_unit_limit;
mod set_compute_unit_price;
mod set_loaded_accounts_data_size_limit;

pub mod instruction;

pub use details::{
    is_builtin, prioritization_fee, ComputeBudgetInstructionDetails, ComputeBudgetLimits,
    DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT, MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT,
    MAX_COMPUTE_UNIT_LIMIT, MAX_HEAP_FRAME_BYTES, MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES,
    MIN_HEAP_FRAME_BYTES,
};
pub use instruction::ComputeBudgetInstruction;
pub use request_heap_frame::RequestHeapFrame;
pub use set_compute_unit_limit::SetComputeUnitLimit;
pub use set_compute_unit_price::SetComputeUnitPrice;
pub use set_loaded_accounts_data_size_limit::SetLoadedAccountsDataSizeLimit;

use baton_executor::{InvokeContext, Program};
use baton_types::{ids, InstructionError, Pubkey};

/// The compute-budget program's id, `ComputeBudget111111111111111111111111111111`.
pub const ID: Pubkey = ids::COMPUTE_BUDGET_PROGRAM;

/// Compute units every compute-budget instruction costs when executed
/// (Agave's `DEFAULT_COMPUTE_UNITS` for this program).
pub const DEFAULT_COMPUTE_UNITS: u64 = 150;

/// The compute-budget program as a builtin [`Program`]; register it at
/// [`ID`]. Executing an instruction charges [`DEFAULT_COMPUTE_UNITS`] and
/// does nothing else: the runtime applied it before the transaction ran.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComputeBudgetProgram;

impl Program for ComputeBudgetProgram {
    fn process(&self, ctx: &InvokeContext<'_>, _data: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(DEFAULT_COMPUTE_UNITS)
    }

    fn is_builtin(&self) -> bool {
        true
    }

    fn account_name(&self) -> &'static str {
        "compute_budget_program"
    }
}
