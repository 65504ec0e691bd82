//! The transaction-level processing of compute-budget instructions, before
//! execution: Agave's `ComputeBudgetInstructionDetails` and
//! `ComputeBudgetLimits`.

use baton_executor::TransactionBudget;
use baton_types::{ids, InstructionError, Message, Pubkey, TransactionError};

use super::{
    ComputeBudgetInstruction, RequestHeapFrame, SetComputeUnitLimit, SetComputeUnitPrice,
    SetLoadedAccountsDataSizeLimit,
};

/// Default units per non-builtin instruction without an explicit limit.
pub const DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT: u32 = 200_000;
/// Default units per builtin instruction without an explicit limit (SIMD-0170).
pub const MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT: u32 = 3_000;
/// Most compute units a transaction may have.
pub const MAX_COMPUTE_UNIT_LIMIT: u32 = 1_400_000;
/// The default heap, and the smallest that may be requested (32 KiB).
pub const MIN_HEAP_FRAME_BYTES: u32 = baton_executor::DEFAULT_HEAP_SIZE;
/// The largest heap that may be requested (256 KiB).
pub const MAX_HEAP_FRAME_BYTES: u32 = 256 * 1024;
/// The default, and largest, loaded-accounts data size (64 MiB).
pub use baton_executor::MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES;

/// Micro-lamports per lamport.
const MICRO_LAMPORTS_PER_LAMPORT: u128 = 1_000_000;

/// The prioritization fee of `unit_limit` units at `micro_lamports` per
/// unit: `ceil(price × limit / 1,000,000)` lamports (saturating).
pub fn prioritization_fee(micro_lamports: u64, unit_limit: u32) -> u64 {
    let micro = u128::from(micro_lamports) * u128::from(unit_limit);
    let lamports = micro.div_ceil(MICRO_LAMPORTS_PER_LAMPORT);
    u64::try_from(lamports).unwrap_or(u64::MAX)
}

/// Whether `program` is one of Agave's builtins for SIMD-0170's default
/// limit (3,000 units an instruction): of the programs Baton ships, the
/// system and compute-budget programs. SPL Token and the address lookup
/// table program are sBPF programs on Agave (200,000).
pub fn is_builtin(program: &Pubkey) -> bool {
    *program == ids::SYSTEM_PROGRAM || *program == ids::COMPUTE_BUDGET_PROGRAM
}

/// What a message's compute-budget instructions request, each with the
/// index of the instruction that requested it, and how many of its
/// instructions invoke builtins and other programs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComputeBudgetInstructionDetails {
    /// `SetComputeUnitLimit`, with its instruction index.
    pub requested_compute_unit_limit: Option<(u8, SetComputeUnitLimit)>,
    /// `SetComputeUnitPrice`, with its instruction index.
    pub requested_compute_unit_price: Option<(u8, SetComputeUnitPrice)>,
    /// `RequestHeapFrame`, with its instruction index.
    pub requested_heap_size: Option<(u8, RequestHeapFrame)>,
    /// `SetLoadedAccountsDataSizeLimit`, with its instruction index.
    pub requested_loaded_accounts_data_size_limit: Option<(u8, SetLoadedAccountsDataSizeLimit)>,
    /// Instructions invoking a builtin (compute-budget ones included).
    pub num_builtin_instructions: u32,
    /// Instructions invoking any other program.
    pub num_non_builtin_instructions: u32,
}

/// The limits and price a transaction runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComputeBudgetLimits {
    /// The compute unit limit of the whole transaction.
    pub compute_unit_limit: u32,
    /// Micro-lamports per compute unit (0 without `SetComputeUnitPrice`).
    pub compute_unit_price: u64,
    /// The heap size sBPF programs get.
    pub updated_heap_bytes: u32,
    /// The most account data bytes the transaction may load.
    pub loaded_accounts_bytes: u32,
}

impl ComputeBudgetLimits {
    /// The prioritization fee: `ceil(price × limit / 1,000,000)` lamports.
    pub fn prioritization_fee(&self) -> u64 {
        prioritization_fee(self.compute_unit_price, self.compute_unit_limit)
    }

    /// What the executor meters and charges for these limits.
    pub fn to_budget(&self) -> TransactionBudget {
        TransactionBudget {
            compute_unit_limit: u64::from(self.compute_unit_limit),
            prioritization_fee: self.prioritization_fee(),
            loaded_accounts_data_size_limit: u64::from(self.loaded_accounts_bytes),
            heap_size: self.updated_heap_bytes,
        }
    }
}

impl ComputeBudgetInstructionDetails {
    /// Read the compute-budget instructions of `message` in order, counting
    /// builtin and other instructions by [`is_builtin`]. The first problem
    /// wins: data that does not decode is `InstructionError(index,
    /// InvalidInstructionData)`, a kind already seen `DuplicateInstruction(index)`.
    pub fn try_from_message(message: &Message) -> Result<Self, TransactionError> {
        let mut details = Self::default();
        for (index, ix) in message.instructions.iter().enumerate() {
            let index = u8::try_from(index).unwrap_or(u8::MAX);
            let Some(program) = message.account_keys.get(usize::from(ix.program_id_index)) else {
                continue;
            };
            if *program == ids::COMPUTE_BUDGET_PROGRAM {
                details.num_builtin_instructions += 1;
                details.record(index, &ix.data)?;
            } else if is_builtin(program) {
                details.num_builtin_instructions += 1;
            } else {
                details.num_non_builtin_instructions += 1;
            }
        }
        Ok(details)
    }

    fn record(&mut self, index: u8, data: &[u8]) -> Result<(), TransactionError> {
        fn set<T>(slot: &mut Option<(u8, T)>, index: u8, v: T) -> Result<(), TransactionError> {
            if slot.is_some() {
                return Err(TransactionError::DuplicateInstruction(index));
            }
            *slot = Some((index, v));
            Ok(())
        }
        match ComputeBudgetInstruction::decode(data) {
            Some(ComputeBudgetInstruction::RequestHeapFrame(ix)) => {
                set(&mut self.requested_heap_size, index, ix)
            }
            Some(ComputeBudgetInstruction::SetComputeUnitLimit(ix)) => {
                set(&mut self.requested_compute_unit_limit, index, ix)
            }
            Some(ComputeBudgetInstruction::SetComputeUnitPrice(ix)) => {
                set(&mut self.requested_compute_unit_price, index, ix)
            }
            Some(ComputeBudgetInstruction::SetLoadedAccountsDataSizeLimit(ix)) => set(
                &mut self.requested_loaded_accounts_data_size_limit,
                index,
                ix,
            ),
            None => Err(TransactionError::InstructionError(
                index,
                InstructionError::InvalidInstructionData,
            )),
        }
    }

    /// SIMD-0170's default limit: 3,000 units per builtin instruction and
    /// `per_non_builtin` (200,000 by default) per other instruction,
    /// before the cap.
    pub fn default_compute_unit_limit(&self, per_non_builtin: u32) -> u32 {
        self.num_builtin_instructions
            .saturating_mul(MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT)
            .saturating_add(
                self.num_non_builtin_instructions
                    .saturating_mul(per_non_builtin),
            )
    }

    /// The transaction's limits, as Agave's
    /// `sanitize_and_convert_to_compute_budget_limits`: a bad heap size is
    /// `InstructionError(index, InvalidInstructionData)`, a zero data-size
    /// limit `InvalidLoadedAccountsDataSizeLimit`; the unit limit is the
    /// request or SIMD-0170's default ([`Self::default_compute_unit_limit`]
    /// with 200,000 per non-builtin instruction), at most `max_units`
    /// (1,400,000 in Agave).
    pub fn sanitize_and_convert(&self) -> Result<ComputeBudgetLimits, TransactionError> {
        self.sanitize_and_convert_with(
            DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT,
            MAX_COMPUTE_UNIT_LIMIT,
        )
    }

    /// [`Self::sanitize_and_convert`] with another default per non-builtin
    /// instruction and another cap (an embedder's execution config).
    pub fn sanitize_and_convert_with(
        &self,
        per_non_builtin: u32,
        max_units: u32,
    ) -> Result<ComputeBudgetLimits, TransactionError> {
        let updated_heap_bytes = match self.requested_heap_size {
            Some((index, ix)) => ix.sanitize(index)?,
            None => MIN_HEAP_FRAME_BYTES,
        };
        let compute_unit_limit = match self.requested_compute_unit_limit {
            Some((_, ix)) => ix.units,
            None => self.default_compute_unit_limit(per_non_builtin),
        }
        .min(max_units);
        let compute_unit_price = self
            .requested_compute_unit_price
            .map_or(0, |(_, ix)| ix.micro_lamports);
        let loaded_accounts_bytes = match self.requested_loaded_accounts_data_size_limit {
            Some((_, ix)) => ix.sanitize()?,
            None => MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES,
        };
        Ok(ComputeBudgetLimits {
            compute_unit_limit,
            compute_unit_price,
            updated_heap_bytes,
            loaded_accounts_bytes,
        })
    }
}

#[cfg(test)]
mod tests;
