//! The compute budget and fee of a transaction, as Agave applies them
//! before execution: the compute-budget instructions read at admission
//! ([`check_compute_budget`]: `DuplicateInstruction`, malformed data), then
//! turned into limits at execution ([`execute_with_budget`]: bad heap size,
//! zero data-size limit), the unit limit (SIMD-0170's default unless set)
//! and the fee (5,000 lamports a signature plus the prioritization fee
//! `ceil(price × limit / 1,000,000)`). Each of these errors refuses the
//! transaction without a charge, as in Agave.
//!
//! The executor applies the limits (`process_loaded_message`): it
//! validates the fee payer for the whole fee, counts the loaded-accounts
//! data size as it loads the accounts (SIMD-0186, failing with
//! `MaxLoadedAccountsDataSizeExceeded` after the fee payer was validated:
//! charged, nothing else changed — SIMD-0191), meters the unit limit and
//! hands sBPF programs the requested heap.

use baton_executor::{
    fee_for, process_nonced_message, AccountSource, Environment, ExecutionConfig,
    TransactionOutcome,
};
use baton_programs::compute_budget::{ComputeBudgetInstructionDetails, ComputeBudgetLimits};

use baton_types::{Account, LoadedMessage, Message, Pubkey, TransactionError};

/// A transaction's fee, split as Agave's `FeeDetails`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FeeDetails {
    /// Lamports per signature times the signatures.
    pub base_fee: u64,
    /// The prioritization fee: `ceil(unit price × unit limit / 1,000,000)`.
    pub prioritization_fee: u64,
}

impl FeeDetails {
    /// Base and prioritization fee together: what the fee payer is charged.
    pub fn total(&self) -> u64 {
        self.base_fee.saturating_add(self.prioritization_fee)
    }
}

/// The stateless part, at admission: read the compute-budget instructions.
pub(crate) fn check_compute_budget(message: &Message) -> Result<(), TransactionError> {
    ComputeBudgetInstructionDetails::try_from_message(message).map(|_| ())
}

/// The limits of `message` under `config`: 200,000 units (the config's
/// `units_per_instruction`) per non-builtin instruction, 3,000 per builtin,
/// capped at the config's `max_compute_units` (1,400,000), unless the
/// message sets its limit.
pub(crate) fn limits_of(
    message: &Message,
    config: &ExecutionConfig,
) -> Result<ComputeBudgetLimits, TransactionError> {
    let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    ComputeBudgetInstructionDetails::try_from_message(message)?.sanitize_and_convert_with(
        clamp(config.units_per_instruction),
        clamp(config.max_compute_units),
    )
}

/// Execute `message` with its compute budget: its unit limit, heap,
/// loaded-data limit and fee. `Err`: refused before execution, nothing
/// charged. The outcome's `fee` is the total; the split comes beside it.
/// `nonce`: a durable-nonce transaction's nonce account, advanced.
pub(crate) fn execute_with_budget(
    message: LoadedMessage<'_>,
    load: &dyn AccountSource,
    env: Environment<'_>,
    nonce: Option<&(Pubkey, Account)>,
) -> Result<(TransactionOutcome, FeeDetails), TransactionError> {
    let budget = limits_of(message.message, env.config)?.to_budget();
    let outcome = process_nonced_message(message, load, env, &budget, nonce)?;
    let fees = FeeDetails {
        base_fee: fee_for(message.message, env.config.lamports_per_signature),
        prioritization_fee: budget.prioritization_fee,
    };
    Ok((outcome, fees))
}
