//! Running whole transactions, and single instructions the way Mollusk does.

use baton_types::{
    ids, Account, Instruction, InstructionError, LoadedMessage, Message, Pubkey, TransactionError,
};

use crate::account_source::AccountSource;
use crate::config::TransactionBudget;
use crate::invoke_context::{Environment, InstructionAccount, InvokeContext};
use crate::rent_state::RentState;
use crate::TransactionContext;
use smallvec::SmallVec;

/// What executing a transaction produced. Produced also for a failed
/// transaction: it carries the logs and units, and the fee it was charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionOutcome {
    /// `Ok` or the failure.
    pub status: Result<(), TransactionError>,
    /// Log lines (empty when log collection is off).
    pub logs: Vec<String>,
    /// Compute units consumed.
    pub compute_units_consumed: u64,
    /// Lamports charged.
    pub fee: u64,
    /// Return data left by the last instruction, if any bytes were set;
    /// kept when the transaction failed, as Agave records it.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    /// Accounts to write back: every written writable account on success,
    /// only the fee payer (less the fee) on failure.
    pub changes: Vec<(Pubkey, Account)>,
    /// The program whose revert failed the transaction (§8), if one did.
    pub reverted_by: Option<Pubkey>,
}

/// The fee of `message`: lamports per signature times required signatures.
pub fn fee_for(message: &Message, lamports_per_signature: u64) -> u64 {
    lamports_per_signature.saturating_mul(message.header.num_required_signatures as u64)
}

/// What every loaded account adds to the data size besides its data
/// (SIMD-0186).
pub const TRANSACTION_ACCOUNT_BASE_SIZE: u64 = 64;

/// Execute a sanitized, lock-checked legacy `message` (or v0 without
/// lookups) against accounts from `load`, with the default budget of
/// `env.config` ([`TransactionBudget::default_for`]).
///
/// `Err` means the transaction was rejected before execution (fee payer
/// missing, not a system account, too poor, or left below rent exemption):
/// nothing is charged. `Ok` carries the outcome of an executed transaction,
/// successful or not; its `changes` are what the caller commits.
pub fn process_message(
    message: &Message,
    load: &dyn AccountSource,
    env: Environment<'_>,
) -> Result<TransactionOutcome, TransactionError> {
    let budget = TransactionBudget::default_for(env.config, message.instructions.len());
    process_loaded_message(LoadedMessage::legacy(message), load, env, &budget)
}

/// Execute a sanitized, lock-checked `message` with its loaded keys under
/// `budget`, against accounts from `load`.
///
/// The fee is the base fee plus `budget.prioritization_fee`. In Agave's
/// order: the fee payer is validated for the whole fee (`Err`, nothing
/// charged, when it fails); then the other accounts are loaded, counting
/// their data size (SIMD-0186), and each instruction's program account is
/// checked — a failure there charges the fee and changes nothing else
/// (SIMD-0191); then the instructions run.
pub fn process_loaded_message(
    message: LoadedMessage<'_>,
    load: &dyn AccountSource,
    env: Environment<'_>,
    budget: &TransactionBudget,
) -> Result<TransactionOutcome, TransactionError> {
    process_nonced_message(message, load, env, budget, None)
}

/// [`process_loaded_message`] for a durable-nonce transaction: `nonce` is
/// its nonce account as advanced, committed with the fee payer if the
/// transaction fails (the nonce is used either way; when the nonce account
/// is the fee payer, the payer is committed advanced, less the fee).
pub fn process_nonced_message(
    message: LoadedMessage<'_>,
    load: &dyn AccountSource,
    env: Environment<'_>,
    budget: &TransactionBudget,
    nonce: Option<&(Pubkey, Account)>,
) -> Result<TransactionOutcome, TransactionError> {
    let n = message.len();
    let rent = &env.sysvars.rent;
    let fee = fee_for(message.message, env.config.lamports_per_signature)
        .saturating_add(budget.prioritization_fee);

    // Fee payer (§1.2): a writable signer, a system account, able to pay and
    // to stay rent exempt (or empty).
    let payer_key = *message.key(0).ok_or(TransactionError::SanitizeFailure)?;
    if !message.is_signer(0) {
        return Err(TransactionError::MissingSignatureForFee);
    }
    if !message.is_writable(0) {
        return Err(TransactionError::InvalidAccountForFee);
    }
    let mut payer = load
        .load(&payer_key)
        .ok_or(TransactionError::AccountNotFound)?;
    if payer.owner != ids::SYSTEM_PROGRAM {
        return Err(TransactionError::InvalidAccountForFee);
    }
    let min_balance = if payer.data.is_empty() {
        0
    } else {
        rent.minimum_balance(payer.data.len())
    };
    if payer.lamports < min_balance.saturating_add(fee) {
        return Err(TransactionError::InsufficientFundsForFee);
    }
    let payer_pre = RentState::of(&payer, rent);
    payer.lamports -= fee;
    if !RentState::of(&payer, rent).transition_allowed_from(&payer_pre) {
        return Err(TransactionError::InsufficientFundsForRent { account_index: 0 });
    }
    let payer_after_fee = payer.lamports;
    // What a failed transaction commits: the payer, charged, as loaded
    // otherwise; and an advanced nonce account.
    let fail = |status: TransactionError, logs, units, payer: Account, return_data| {
        let mut changes = vec![(payer_key, payer)];
        match nonce {
            Some((key, advanced)) if *key == payer_key => {
                changes[0].1 = Account {
                    lamports: payer_after_fee,
                    ..advanced.clone()
                };
            }
            Some(n) => changes.push(n.clone()),
            None => {}
        }
        TransactionOutcome {
            status: Err(status),
            logs,
            compute_units_consumed: units,
            fee,
            return_data,
            changes,
            reverted_by: None,
        }
    };

    // Load the rest; absent accounts are empty system accounts. Per account,
    // keep its top-level writability and its rent state before execution,
    // and count the loaded data size (SIMD-0186): 8,248 bytes per lookup
    // table, each existing account's data plus 64 bytes, and the
    // programdata of each upgradeable-loader program, once, unless the
    // message names it itself.
    let mut flags: SmallVec<[(bool, RentState); 8]> = SmallVec::new();
    let mut lamports_before: u128 = 0;
    let tables = message.message.address_table_lookups.len() as u64;
    let mut loaded_size: u64 = tables.saturating_mul(ADDRESS_LOOKUP_TABLE_BASE_SIZE);
    let mut programdata_counted: SmallVec<[Pubkey; 2]> = SmallVec::new();
    let mut count = |data_len: usize| {
        loaded_size = loaded_size
            .saturating_add(data_len as u64)
            .saturating_add(TRANSACTION_ACCOUNT_BASE_SIZE);
    };
    // A program that no instruction names as an account is loaded without
    // its data: nothing can read it, and a loader-v2 program is its whole
    // ELF. (An upgradeable-loader program is loaded whole: 36 bytes that
    // name its programdata.)
    let mut named: SmallVec<[bool; 16]> = SmallVec::from_elem(false, n);
    for ix in &message.message.instructions {
        for &a in ix.accounts.iter() {
            if let Some(f) = named.get_mut(usize::from(a)) {
                *f = true;
            }
        }
    }
    let tx = TransactionContext::from_accounts(message.keys().enumerate().map(|(i, key)| {
        let writable = message.is_writable(i);
        let mut a = if i == 0 {
            count(payer.data.len());
            std::mem::take(&mut payer)
        } else {
            let hollow = !writable && !named[i] && message.message.is_invoked(i);
            let loaded = match hollow.then(|| load.load_without_data(key)).flatten() {
                Some((a, len)) if a.owner != ids::BPF_LOADER_UPGRADEABLE => {
                    count(len);
                    Some(a)
                }
                _ => load.load(key).inspect(|a| count(a.data.len())),
            };
            match loaded {
                Some(a) => a,
                // A new account starts rent exempt, as Agave creates it.
                None => Account {
                    rent_epoch: RENT_EXEMPT_RENT_EPOCH,
                    ..Account::default()
                },
            }
        };
        if let Some(pd) = ids::v3_programdata_key(&a) {
            if !programdata_counted.contains(&pd) && !message.keys().any(|k| *k == pd) {
                programdata_counted.push(pd);
                if let Some((_, len)) = load.load_without_data(&pd) {
                    count(len);
                }
            }
        }
        let state = RentState::of(&a, rent);
        // A writable account loaded rent exempt is marked so, as Agave's
        // loader marks it (`update_rent_exempt_status_for_account`); the
        // fee payer, marked before its fee in Agave, is exempt after it
        // exactly when it was before (else it was refused above).
        if writable && state == RentState::RentExempt {
            a.rent_epoch = RENT_EXEMPT_RENT_EPOCH;
        }
        flags.push((writable, state));
        lamports_before += a.lamports as u128;
        (*key, a)
    }));
    // The payer as charged, for a transaction that fails before running.
    let charged_payer = |tx: TransactionContext| {
        let mut payer = tx
            .into_accounts_where(|i, _| i == 0)
            .pop()
            .map(|(_, a)| a)
            .unwrap_or_default();
        payer.lamports = payer_after_fee;
        payer
    };
    if loaded_size > budget.loaded_accounts_data_size_limit {
        let status = TransactionError::MaxLoadedAccountsDataSizeExceeded;
        return Ok(fail(status, Vec::new(), 0, charged_payer(tx), None));
    }
    // Each instruction's program account: it must exist and be owned by
    // the native loader or a BPF loader (Agave checks the owner, not the
    // executable flag; a loader-owned account that holds no runnable
    // program fails when invoked, `UnsupportedProgramId`).
    for ix in &message.message.instructions {
        let status = match tx.account(ix.program_id_index as usize).as_deref() {
            Some(a) if a.lamports == 0 => TransactionError::ProgramAccountNotFound,
            Some(a) if a.owner == ids::NATIVE_LOADER || ids::is_loader(&a.owner) => continue,
            Some(_) => TransactionError::InvalidProgramForExecution,
            None => TransactionError::ProgramAccountNotFound,
        };
        return Ok(fail(status, Vec::new(), 0, charged_payer(tx), None));
    }
    // The invoke context lives in this block and is dropped in place (a
    // `drop(ctx)` would move all of it, a kilobyte, to drop it).
    let (mut status, logs, units, reverted_by) = {
        let mut ctx = InvokeContext::new(&tx, env, budget.compute_unit_limit);
        ctx.set_message(message, budget.heap_size);

        // Run the instructions in order; the first failure fails the transaction.
        let mut status = Ok(());
        let mut ix_accounts: SmallVec<[InstructionAccount; 8]> = SmallVec::new();
        for (i, ix) in message.message.instructions.iter().enumerate() {
            ix_accounts.clear();
            for (pos, &a) in ix.accounts.iter().enumerate() {
                let first = ix.accounts.iter().position(|&b| b == a).unwrap_or(pos);
                let a = a as usize;
                ix_accounts.push(InstructionAccount {
                    index_in_transaction: a as u16,
                    index_in_callee: first as u16,
                    is_signer: message.is_signer(a),
                    is_writable: flags.get(a).is_some_and(|f| f.0),
                });
            }
            let Some(&program_id) = message.key(ix.program_id_index as usize) else {
                status = Err(TransactionError::SanitizeFailure);
                break;
            };
            if let Err(e) = ctx.process_instruction(program_id, &ix_accounts, &ix.data) {
                status = Err(TransactionError::InstructionError(i as u8, e));
                break;
            }
        }
        let reverted_by = ctx.reverted_by().map(|(program, _)| program);
        (status, ctx.take_logs(), ctx.units_consumed(), reverted_by)
    };

    // Post-execution checks: rent-state transitions of written writable
    // accounts, then the transaction-wide lamport balance (§3).
    if status.is_ok() {
        for (i, &(writable, pre)) in flags.iter().enumerate() {
            if !(writable && tx.is_touched(i)) {
                continue;
            }
            let Some(acc) = tx.account(i) else { continue };
            if !RentState::of(&acc, rent).transition_allowed_from(&pre) {
                status = Err(TransactionError::InsufficientFundsForRent {
                    account_index: i as u8,
                });
                break;
            }
        }
    }
    if status.is_ok() {
        let after: u128 = (0..n)
            .filter_map(|i| tx.account(i))
            .map(|a| a.lamports as u128)
            .sum();
        if after != lamports_before {
            status = Err(TransactionError::UnbalancedTransaction);
        }
    }

    // Agave records the return data of a failed transaction too.
    let return_data = {
        let rd = tx.return_data();
        (!rd.1.is_empty()).then(|| rd.clone())
    };
    if let Err(e) = status {
        tx.revert_all();
        return Ok(TransactionOutcome {
            reverted_by,
            ..fail(e, logs, units, charged_payer(tx), return_data)
        });
    }
    let changes = tx.into_accounts_where(|i, marks| i == 0 || (flags[i].0 && marks.is_touched()));
    Ok(TransactionOutcome {
        status: Ok(()),
        logs,
        compute_units_consumed: units,
        fee,
        return_data,
        changes,
        reverted_by: None,
    })
}

/// What each address lookup table a message uses adds to its loaded data
/// size: the size of the largest table, 56 + 256 × 32 bytes (SIMD-0186).
pub const ADDRESS_LOOKUP_TABLE_BASE_SIZE: u64 = 8_248;

/// The rent epoch of an account that pays no rent (Agave's
/// `RENT_EXEMPT_RENT_EPOCH`).
pub const RENT_EXEMPT_RENT_EPOCH: u64 = u64::MAX;

/// The account of a native program, as the native loader keeps one.
fn native_program_account() -> Account {
    Account {
        lamports: 1,
        data: Vec::new(),
        owner: ids::NATIVE_LOADER,
        executable: true,
        rent_epoch: 0,
    }
}

/// The result of running one instruction with [`process_instruction`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionOutcome {
    /// `Ok` or the instruction's error.
    pub result: Result<(), InstructionError>,
    /// Every account after the instruction, in the order given; unchanged
    /// from the input when the instruction failed.
    pub accounts: Vec<(Pubkey, Account)>,
    /// Compute units consumed.
    pub compute_units_consumed: u64,
    /// Return data, if any bytes were set, kept when the instruction failed.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    /// Log lines.
    pub logs: Vec<String>,
}

/// Run one instruction against the given accounts with `compute_budget`
/// units, as Mollusk tests one instruction: privileges come from the
/// instruction's metas, except that the program id is never writable (it is
/// invoked, semantics.md §1.1); accounts the instruction names but
/// `accounts` lacks are empty (a registered program's: a native-loader
/// program account); the program account is synthesized if absent. No
/// fee, no rent-state check.
pub fn process_instruction(
    accounts: &[(Pubkey, Account)],
    instruction: &Instruction,
    compute_budget: u64,
    env: Environment<'_>,
) -> InstructionOutcome {
    let mut keys: Vec<Pubkey> = accounts.iter().map(|(k, _)| *k).collect();
    let mut accs: Vec<Account> = accounts.iter().map(|(_, a)| a.clone()).collect();
    // An account missing from `accounts` is empty, but for a registered
    // program's, which is a native-loader program account (so that a CPI
    // into a builtin needs no account of its own).
    let index_of = |key: &Pubkey, accs: &mut Vec<Account>, keys: &mut Vec<Pubkey>| {
        keys.iter().position(|k| k == key).unwrap_or_else(|| {
            keys.push(*key);
            accs.push(if env.programs.is_registered(key) {
                native_program_account()
            } else {
                Account::default()
            });
            keys.len() - 1
        })
    };
    let mut ix_accounts = Vec::with_capacity(instruction.accounts.len());
    for (pos, meta) in instruction.accounts.iter().enumerate() {
        let idx = index_of(&meta.pubkey, &mut accs, &mut keys);
        let first = instruction
            .accounts
            .iter()
            .position(|m| m.pubkey == meta.pubkey)
            .unwrap_or(pos);
        ix_accounts.push(InstructionAccount {
            index_in_transaction: idx as u16,
            index_in_callee: first as u16,
            is_signer: meta.is_signer,
            // The invoked program is demoted to read-only (SIMD-0162).
            is_writable: meta.is_writable && meta.pubkey != instruction.program_id,
        });
    }
    // Merge duplicate flags onto every occurrence (§4.2).
    for i in 0..ix_accounts.len() {
        let f = ix_accounts[i].index_in_callee as usize;
        for j in f..ix_accounts.len() {
            if ix_accounts[j].index_in_callee as usize == f {
                ix_accounts[f].is_signer |= ix_accounts[j].is_signer;
                ix_accounts[f].is_writable |= ix_accounts[j].is_writable;
            }
        }
        ix_accounts[i].is_signer = ix_accounts[f].is_signer;
        ix_accounts[i].is_writable = ix_accounts[f].is_writable;
    }
    let program_index = index_of(&instruction.program_id, &mut accs, &mut keys);
    if let Some(p) = accs.get_mut(program_index) {
        if !p.executable {
            *p = native_program_account();
        }
    }

    let n_given = accounts.len();
    let tx = TransactionContext::new(keys, accs);
    let mut ctx = InvokeContext::new(&tx, env, compute_budget);
    let result = ctx.process_instruction(instruction.program_id, &ix_accounts, &instruction.data);
    let logs = ctx.take_logs();
    let compute_units_consumed = ctx.units_consumed();
    drop(ctx);
    // Read before any revert: Agave and Mollusk report the return data set
    // last even when the instruction failed.
    let return_data = {
        let rd = tx.return_data();
        (!rd.1.is_empty()).then(|| rd.clone())
    };
    if result.is_err() {
        tx.revert_all();
    }
    let mut all = tx.into_accounts();
    all.truncate(n_given);
    InstructionOutcome {
        result,
        accounts: all,
        compute_units_consumed,
        return_data,
        logs,
    }
}
