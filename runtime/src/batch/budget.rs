//! The compute budget and fee of a transaction, as Agave applies them
//! before execution: the compute-budget instructions read at admission
//! ([`check_compute_budget`]: `DuplicateInstruction`, malformed data), then
//! turned into limits at execution ([`execute_with_budget`]: bad heap size,
//! zero data-size limit), the unit limit (SIMD-0170's default unless set)
//! and the fee (5,000 lamports a signature plus the prioritization fee
//! `ceil(price × limit / 1,000,000)`). Each of these errors refuses the
//! transaction without a charge, as in Agave.
//!
//! The loaded-accounts data size (SIMD-0186) is counted as the executor
//! loads the accounts: each existing account of the message, its data
//! before execution plus 64 bytes, and the programdata of each
//! upgradeable-loader program among them, once. Over the limit (64 MiB, or
//! the requested one) the transaction fails with
//! `MaxLoadedAccountsDataSizeExceeded` after its fee payer was validated:
//! it is charged its fee and changes nothing else (SIMD-0191).
//!
//! The executor charges the base fee and meters units against its
//! configured limit; this module hands it a configuration whose limit is
//! the transaction's, and charges the prioritization fee itself before the
//! executor sees the fee payer: the executor's checks (able to pay, rent
//! state) then hold for the total, which is checked here first with the
//! payer as stored.

use baton_executor::{
    process_message, Environment, ExecutionConfig, RentState, TransactionOutcome,
};
use baton_programs::compute_budget::{ComputeBudgetInstructionDetails, ComputeBudgetLimits};
use std::cell::RefCell;

use baton_types::{ids, Account, Message, Pubkey, TransactionError};

/// The upgradeable loader (loader v3), whose program accounts name a
/// programdata account.
const BPF_LOADER_UPGRADEABLE: Pubkey =
    Pubkey::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111");

/// What every loaded account adds to the data size besides its data
/// (SIMD-0186).
pub(crate) const TRANSACTION_ACCOUNT_BASE_SIZE: u64 = 64;

/// The loaded-accounts data size of a transaction, counted as its accounts
/// are loaded (SIMD-0186).
#[derive(Default)]
struct LoadedSize {
    /// Keys counted so far (message keys and programdata accounts).
    counted: Vec<Pubkey>,
    bytes: u64,
}

impl LoadedSize {
    fn add(&mut self, key: &Pubkey, account: Option<&Account>) {
        if self.counted.contains(key) {
            return;
        }
        self.counted.push(*key);
        if let Some(a) = account {
            self.bytes = self
                .bytes
                .saturating_add(a.data.len() as u64)
                .saturating_add(TRANSACTION_ACCOUNT_BASE_SIZE);
        }
    }

    /// The programdata key an upgradeable-loader program account names.
    fn programdata_of(account: &Account) -> Option<Pubkey> {
        if account.owner != BPF_LOADER_UPGRADEABLE || account.data.get(..4)? != [2, 0, 0, 0] {
            return None;
        }
        Some(Pubkey(account.data.get(4..36)?.try_into().ok()?))
    }
}

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

/// Execute `message` with its compute budget: its unit limit, and its fee
/// (the executor's base fee plus the prioritization fee charged here).
/// `Err`: refused before execution, nothing charged. The outcome's `fee` is
/// the total; the split comes beside it.
pub(crate) fn execute_with_budget(
    message: &Message,
    load: &dyn Fn(&Pubkey) -> Option<Account>,
    env: Environment<'_>,
) -> Result<(TransactionOutcome, FeeDetails), TransactionError> {
    let limits = limits_of(message, env.config)?;
    let config = ExecutionConfig {
        // compute_limit(n) = min(MAX × n, limit) = limit for n ≥ 1.
        units_per_instruction: u64::MAX,
        max_compute_units: u64::from(limits.compute_unit_limit),
        ..env.config.clone()
    };
    let priority = limits.prioritization_fee();
    let payer_key = message.fee_payer().copied();
    let mut charged_payer: Option<Account> = None;
    if priority > 0 {
        // Check the total against the payer as stored, as Agave's
        // `validate_fee_payer` does; the executor repeats the checks for
        // the base fee on the payer less the prioritization fee.
        if let Some(key) = payer_key.filter(|_| message.is_signer(0) && message.is_writable(0)) {
            if let Some(payer) = load(&key).filter(|p| p.owner == ids::SYSTEM_PROGRAM) {
                let base = baton_executor::fee_for(message, env.config.lamports_per_signature);
                let rent = &env.sysvars.rent;
                let min_balance = if payer.data.is_empty() {
                    0
                } else {
                    rent.minimum_balance(payer.data.len())
                };
                let total = base.saturating_add(priority);
                if payer.lamports < min_balance.saturating_add(total) {
                    return Err(TransactionError::InsufficientFundsForFee);
                }
                let pre = RentState::of(&payer, rent);
                let mut after = payer.clone();
                after.lamports -= total;
                if !RentState::of(&after, rent).transition_allowed_from(&pre) {
                    return Err(TransactionError::InsufficientFundsForRent { account_index: 0 });
                }
                let mut charged = payer;
                charged.lamports -= priority;
                charged_payer = Some(charged);
            }
        }
    }
    let size = RefCell::new(LoadedSize::default());
    let load_counted = |k: &Pubkey| {
        let account = match &charged_payer {
            Some(p) if Some(*k) == payer_key => Some(p.clone()),
            _ => load(k),
        };
        if message.account_keys.contains(k) {
            let mut size = size.borrow_mut();
            size.add(k, account.as_ref());
            if let Some(programdata) = account.as_ref().and_then(LoadedSize::programdata_of) {
                if !size.counted.contains(&programdata) {
                    let pd = load(&programdata);
                    size.add(&programdata, pd.as_ref());
                }
            }
        }
        account
    };
    let env = Environment {
        config: &config,
        ..env
    };
    let mut outcome = process_message(message, &load_counted, env)?;
    let fees = FeeDetails {
        base_fee: outcome.fee,
        prioritization_fee: if charged_payer.is_some() { priority } else { 0 },
    };
    outcome.fee = fees.total();
    let size = size.into_inner();
    if size.bytes > u64::from(limits.loaded_accounts_bytes) {
        // SIMD-0191: loading failed after the fee payer was validated —
        // the fee is charged and nothing else changes.
        // The payer as the executor got it, looked up again only on this
        // rare path rather than kept for every transaction.
        let payer = payer_key.and_then(|k| charged_payer.clone().or_else(|| load(&k)));
        if let (Some(key), Some(mut payer)) = (payer_key, payer) {
            payer.lamports = payer.lamports.saturating_sub(fees.base_fee);
            outcome = TransactionOutcome {
                status: Err(TransactionError::MaxLoadedAccountsDataSizeExceeded),
                logs: Vec::new(),
                compute_units_consumed: 0,
                fee: outcome.fee,
                return_data: None,
                changes: vec![(key, payer)],
                reverted_by: None,
            };
        }
    }
    Ok((outcome, fees))
}
