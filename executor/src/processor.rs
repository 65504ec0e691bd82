//! Running whole transactions, and single instructions the way Mollusk does.

use baton_types::{ids, Account, Instruction, InstructionError, Message, Pubkey, TransactionError};

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
    /// Return data left by the last instruction, if any bytes were set.
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

/// Execute a sanitized, lock-checked `message` against accounts from `load`.
///
/// `Err` means the transaction was rejected before execution (fee payer
/// missing, not a system account, too poor, or left below rent exemption):
/// nothing is charged. `Ok` carries the outcome of an executed transaction,
/// successful or not; its `changes` are what the caller commits.
pub fn process_message(
    message: &Message,
    load: &dyn Fn(&Pubkey) -> Option<Account>,
    env: Environment<'_>,
) -> Result<TransactionOutcome, TransactionError> {
    let n = message.account_keys.len();
    let rent = &env.sysvars.rent;
    let fee = fee_for(message, env.config.lamports_per_signature);

    // Fee payer (§1.2): a writable signer, a system account, able to pay and
    // to stay rent exempt (or empty).
    let payer_key = *message
        .fee_payer()
        .ok_or(TransactionError::SanitizeFailure)?;
    if !message.is_signer(0) {
        return Err(TransactionError::MissingSignatureForFee);
    }
    if !message.is_writable(0) {
        return Err(TransactionError::InvalidAccountForFee);
    }
    let mut payer = load(&payer_key).ok_or(TransactionError::AccountNotFound)?;
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
    // What a failed transaction commits: the payer, charged, as loaded otherwise.
    let fail = |status: TransactionError, logs, units, payer: Account| TransactionOutcome {
        status: Err(status),
        logs,
        compute_units_consumed: units,
        fee,
        return_data: None,
        changes: vec![(payer_key, payer)],
        reverted_by: None,
    };

    // Load the rest; absent accounts are empty system accounts. Per account,
    // keep its top-level writability and its rent state before execution.
    let mut flags: SmallVec<[(bool, RentState); 8]> = SmallVec::new();
    let mut lamports_before: u128 = 0;
    let tx = TransactionContext::from_accounts(message.account_keys.iter().enumerate().map(
        |(i, key)| {
            let a = if i == 0 {
                std::mem::take(&mut payer)
            } else {
                load(key).unwrap_or_default()
            };
            flags.push((message.is_writable(i), RentState::of(&a, rent)));
            lamports_before += a.lamports as u128;
            (*key, a)
        },
    ));
    for ix in &message.instructions {
        let status = match tx.account(ix.program_id_index as usize).as_deref() {
            Some(a) if a.executable => continue,
            Some(a) if a.lamports > 0 || !a.data.is_empty() => {
                TransactionError::InvalidProgramForExecution
            }
            _ => TransactionError::ProgramAccountNotFound,
        };
        let mut payer = tx
            .into_accounts_where(|i, _| i == 0)
            .pop()
            .map(|(_, a)| a)
            .unwrap_or_default();
        payer.lamports = payer_after_fee;
        return Ok(fail(status, Vec::new(), 0, payer));
    }
    // The invoke context lives in this block and is dropped in place (a
    // `drop(ctx)` would move all of it, a kilobyte, to drop it).
    let (mut status, logs, units, reverted_by) = {
        let mut ctx = InvokeContext::new(
            &tx,
            env,
            env.config.compute_limit(message.instructions.len()),
        );
        ctx.set_message(message);

        // Run the instructions in order; the first failure fails the transaction.
        let mut status = Ok(());
        let mut ix_accounts: SmallVec<[InstructionAccount; 8]> = SmallVec::new();
        for (i, ix) in message.instructions.iter().enumerate() {
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
            let program_id = message.account_keys[ix.program_id_index as usize];
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

    if let Err(e) = status {
        tx.revert_all();
        let mut payer = tx
            .into_accounts_where(|i, _| i == 0)
            .pop()
            .map(|(_, a)| a)
            .unwrap_or_default();
        payer.lamports = payer_after_fee;
        return Ok(TransactionOutcome {
            reverted_by,
            ..fail(e, logs, units, payer)
        });
    }
    let return_data = {
        let rd = tx.return_data();
        (!rd.1.is_empty()).then(|| rd.clone())
    };
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
/// `accounts` lacks are empty; the program account is synthesized if
/// absent. No fee, no rent-state check.
pub fn process_instruction(
    accounts: &[(Pubkey, Account)],
    instruction: &Instruction,
    compute_budget: u64,
    env: Environment<'_>,
) -> InstructionOutcome {
    let mut keys: Vec<Pubkey> = accounts.iter().map(|(k, _)| *k).collect();
    let mut accs: Vec<Account> = accounts.iter().map(|(_, a)| a.clone()).collect();
    let index_of = |key: &Pubkey, accs: &mut Vec<Account>, keys: &mut Vec<Pubkey>| {
        keys.iter().position(|k| k == key).unwrap_or_else(|| {
            keys.push(*key);
            accs.push(Account::default());
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
            *p = Account {
                lamports: 1,
                data: Vec::new(),
                owner: ids::NATIVE_LOADER,
                executable: true,
                rent_epoch: 0,
            };
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
