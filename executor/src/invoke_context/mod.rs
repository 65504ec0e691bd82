//! The invoke context: the instruction stack of one transaction, its compute
//! meter and logs, and cross-program invocation.
//!
//! The Solana-flavour CPI (`invoke`, `invoke_signed` §4) is in `cpi.rs`;
//! the explicit-authorization flavour (§8) in `../invoke_auth.rs`, which
//! builds on this module; the data both flavours share (frame flavours,
//! descriptors, limits) in `../auth.rs`. The [`Program`](program::Program) trait and the
//! [`ProgramRegistry`] are in `program.rs`, a child of this module: a
//! program is called with an `&InvokeContext` and the context finds the
//! programs it calls in the registry, a recursion between the two types
//! that a module tree holds without an import cycle between siblings.

use std::cell::{Cell, RefCell};
use std::fmt;

use baton_types::{InstructionError, LoadedMessage, Pubkey};
use smallvec::SmallVec;

use crate::auth::{AuthDescriptor, ExitCode, Flavour};
use crate::borrowed_account::BorrowedAccount;
use crate::compute::ComputeMeter;
use crate::config::{ExecutionConfig, MAX_PERMITTED_DATA_INCREASE, MAX_RETURN_DATA};
mod cpi;
mod frame;
mod logs;
pub mod program;
mod resolved;
mod trace;

use crate::sysvar::{Clock, RecentBlockhashes, Rent, SysvarCache};
use crate::TransactionContext;
use logs::LogCollector;
pub use logs::LOG_MESSAGES_BYTES_LIMIT;
use program::ProgramRegistry;
use trace::InstructionTrace;

/// Base compute cost of a CPI (§4.8).
pub const INVOKE_UNITS: u64 = 946;
/// Bytes of instruction data and metas charged one unit in a CPI (§4.8).
pub const CPI_BYTES_PER_UNIT: u64 = 250;
/// Bytes an account meta counts for in the CPI charge.
pub const ACCOUNT_META_SIZE: u64 = 34;
/// Most account metas in a CPI (§4.5).
pub const MAX_CPI_ACCOUNT_METAS: usize = 255;
/// Most instruction data bytes in a CPI (§4.5).
pub const MAX_CPI_INSTRUCTION_DATA_LEN: usize = 10 * 1024;
/// Most signer seed sets in a CPI (§4.5).
pub const MAX_SIGNERS: usize = 16;

/// What the engine lends every transaction: programs, sysvars and limits.
#[derive(Clone, Copy)]
pub struct Environment<'a> {
    /// Programs by id.
    pub programs: &'a ProgramRegistry,
    /// Sysvars of the batch.
    pub sysvars: &'a SysvarCache,
    /// Limits and switches.
    pub config: &'a ExecutionConfig,
}

/// One account of an instruction: where it sits in the transaction and the
/// privileges it has in this instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstructionAccount {
    /// Index in the transaction's accounts.
    pub index_in_transaction: u16,
    /// Index of the first occurrence of the same account in this instruction;
    /// equal to the account's own position unless it is a duplicate.
    pub index_in_callee: u16,
    /// Signer in this instruction.
    pub is_signer: bool,
    /// Writable in this instruction.
    pub is_writable: bool,
}

pub(crate) struct Frame {
    pub(crate) program_id: Pubkey,
    builtin: bool,
    /// Range of this frame's accounts in `InvokeContext::accounts`.
    pub(crate) accounts_start: usize,
    pub(crate) accounts_end: usize,
    /// Lamports over the frame's unique accounts when it was pushed (§3).
    lamport_sum: u128,
    /// Data length of each account when the frame was pushed, for the
    /// per-instruction growth limit of user programs (§2.3); empty for builtins.
    start_lens: Vec<usize>,
    /// How the frame was called: a top-level instruction or `invoke` (Solana
    /// flavour) or `invoke_auth` (§8).
    pub(crate) flavour: Flavour,
    /// The authorization descriptor its caller passed to `invoke_auth` (§8).
    pub(crate) auth: Option<Box<AuthDescriptor>>,
    /// The code the program exits with when it returns `Ok` (§8).
    exit_code: ExitCode,
}

/// The state a program sees while it runs: its instruction's accounts, the
/// compute meter, sysvars, logs, return data, and `invoke`.
///
/// The engine creates it and runs frames on it (`new`, `set_message`,
/// `process_instruction`, `take_logs`); those methods are hidden from these
/// docs, since a program calls other programs with [`Self::invoke`] and its
/// siblings instead.
pub struct InvokeContext<'a> {
    pub(crate) tx: &'a TransactionContext,
    pub(crate) env: Environment<'a>,
    meter: ComputeMeter,
    pub(crate) stack: RefCell<SmallVec<[Frame; 5]>>,
    pub(crate) accounts: RefCell<SmallVec<[InstructionAccount; 16]>>,
    /// Every instruction the transaction started, in order (Agave's
    /// instruction trace), for [`Self::processed_sibling`].
    trace: RefCell<InstructionTrace>,
    logs: RefCell<LogCollector>,
    /// The first error of a failed (uncatchable) CPI. A failing callee
    /// cannot be caught (§4.10): even if its caller ignores the error, every
    /// frame above it fails with it.
    pub(crate) cpi_failure: Cell<Option<InstructionError>>,
    /// The program that reverted and its code, while the revert unwinds (§8).
    pub(crate) reverted: Cell<Option<(Pubkey, u32)>>,
    /// The exit code of the frame popped last (§8).
    pub(crate) last_exit_code: Cell<ExitCode>,
    /// The message, for the top-level privileges `invoke_auth` grants (§8).
    pub(crate) message: Option<LoadedMessage<'a>>,
    /// Heap bytes each sBPF program gets (the transaction's requested heap).
    heap_size: u32,
    /// A failing program's own account of its failure, logged in its
    /// `failed:` line instead of the error (see [`Self::set_failure_log`]).
    pub(crate) failure_log: RefCell<Option<String>>,
    /// Consume the rest of the meter once the running frame's `consumed`
    /// line is logged (see [`Self::deplete_meter_after_log`]).
    deplete_after_log: Cell<bool>,
}

impl<'a> InvokeContext<'a> {
    /// A context over `tx` with a meter of `compute_limit` units.
    #[doc(hidden)] // engine only: the processor drives the context
    pub fn new(tx: &'a TransactionContext, env: Environment<'a>, compute_limit: u64) -> Self {
        Self {
            tx,
            env,
            meter: ComputeMeter::new(compute_limit),
            stack: RefCell::new(SmallVec::new()),
            accounts: RefCell::new(SmallVec::new()),
            trace: RefCell::new(InstructionTrace::default()),
            logs: RefCell::new(LogCollector::default()),
            cpi_failure: Cell::new(None),
            reverted: Cell::new(None),
            last_exit_code: Cell::new(0),
            message: None,
            heap_size: crate::config::DEFAULT_HEAP_SIZE,
            failure_log: RefCell::new(None),
            deplete_after_log: Cell::new(false),
        }
    }

    /// Give the context the transaction's message, whose top-level
    /// privileges (§1.1) the callee of `invoke_auth` gets for every account.
    /// Without one (a single instruction, as `process_instruction` runs it),
    /// those privileges are the outermost instruction's.
    /// Also the heap the transaction requested for its sBPF programs.
    #[doc(hidden)] // engine only: the processor drives the context
    pub fn set_message(&mut self, message: LoadedMessage<'a>, heap_size: u32) {
        self.message = Some(message);
        self.heap_size = heap_size;
    }

    /// Heap bytes an sBPF program gets: 32 KiB, or what the transaction
    /// requested with `RequestHeapFrame`.
    pub fn heap_size(&self) -> u32 {
        self.heap_size
    }

    // ----- what a running program reads -----

    /// The transaction's accounts.
    pub fn transaction_context(&self) -> &'a TransactionContext {
        self.tx
    }

    /// The id of the running program.
    pub fn program_id(&self) -> Pubkey {
        self.stack
            .borrow()
            .last()
            .map(|f| f.program_id)
            .unwrap_or_default()
    }

    /// Height of the instruction stack: 1 for a top-level instruction.
    pub fn stack_height(&self) -> usize {
        self.stack.borrow().len()
    }

    /// A processed sibling of the running instruction, as Agave's
    /// `sol_get_processed_sibling_instruction` finds it: walking the
    /// instruction trace back from the running instruction, past deeper
    /// ones and stopping at its parent, the `index`-th earlier instruction
    /// at the running stack height (0: the latest). Gives its program id,
    /// accounts (key, signer, writable; duplicates included) and data.
    pub fn processed_sibling(&self, index: usize) -> Option<ProcessedSibling> {
        let height = self.stack_height();
        let trace = self.trace.borrow();
        let mut at_height = 0usize;
        for e in trace.entries.iter().rev() {
            if e.stack_height < height {
                return None;
            }
            if e.stack_height == height {
                if index.checked_add(1) == Some(at_height) {
                    if let (Some(ix), Some(m)) = (e.in_message, self.message) {
                        let ix = m.message.instructions.get(usize::from(ix))?;
                        let accounts = ix
                            .accounts
                            .iter()
                            .map(|&a| {
                                let a = usize::from(a);
                                m.key(a).map(|k| (*k, m.is_signer(a), m.is_writable(a)))
                            })
                            .collect::<Option<Vec<_>>>()?;
                        return Some(ProcessedSibling {
                            program_id: e.program_id,
                            accounts,
                            data: ix.data.clone(),
                        });
                    }
                    let accounts = trace
                        .accounts
                        .get(e.accounts())?
                        .iter()
                        .map(|a| {
                            let key = self.tx.key(a.index_in_transaction as usize).copied();
                            key.map(|k| (k, a.is_signer, a.is_writable))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    let data = trace.data.get(e.data())?.to_vec();
                    return Some(ProcessedSibling {
                        program_id: e.program_id,
                        accounts,
                        data,
                    });
                }
                at_height += 1;
            }
        }
        None
    }

    /// The program ids on the instruction stack, outermost first.
    pub fn stack_program_ids(&self) -> Vec<Pubkey> {
        self.stack.borrow().iter().map(|f| f.program_id).collect()
    }

    /// The running frame's range in the account arena.
    fn frame_range(&self) -> (usize, usize) {
        self.stack
            .borrow()
            .last()
            .map_or((0, 0), |f| (f.accounts_start, f.accounts_end))
    }

    /// Copies of the running instruction's accounts.
    pub fn instruction_accounts(&self) -> Vec<InstructionAccount> {
        let (start, end) = self.frame_range();
        self.accounts
            .borrow()
            .get(start..end)
            .map(<[_]>::to_vec)
            .unwrap_or_default()
    }

    /// Number of accounts of the running instruction.
    pub fn instruction_account_count(&self) -> usize {
        let (start, end) = self.frame_range();
        end - start
    }

    /// Account `i` of the running instruction; `MissingAccount` past the
    /// end, as Agave 4.x (semantics.md §0).
    pub fn instruction_account(&self, i: usize) -> Result<InstructionAccount, InstructionError> {
        let (start, end) = self.frame_range();
        if i >= end - start {
            return Err(InstructionError::MissingAccount);
        }
        self.accounts
            .borrow()
            .get(start + i)
            .copied()
            .ok_or(InstructionError::MissingAccount)
    }

    /// The key of account `i` of the running instruction.
    pub fn instruction_account_key(&self, i: usize) -> Result<&'a Pubkey, InstructionError> {
        let ia = self.instruction_account(i)?;
        self.tx
            .key(ia.index_in_transaction as usize)
            .ok_or(InstructionError::MissingAccount)
    }

    /// Borrow account `i` of the running instruction. Borrowing an account
    /// that is already borrowed (a duplicate) fails with `AccountBorrowFailed`.
    pub fn borrow_instruction_account(
        &self,
        i: usize,
    ) -> Result<BorrowedAccount<'_>, InstructionError> {
        let ia = self.instruction_account(i)?;
        let stack = self.stack.borrow();
        let frame = stack.last().ok_or(InstructionError::CallDepth)?;
        let cell = self
            .tx
            .account_cell(ia.index_in_transaction as usize)
            .ok_or(InstructionError::MissingAccount)?;
        let account = cell
            .try_borrow_mut()
            .map_err(|_| InstructionError::AccountBorrowFailed)?;
        let max_data_len = match frame.start_lens.get(ia.index_in_callee as usize) {
            Some(start) if !frame.builtin => start.saturating_add(MAX_PERMITTED_DATA_INCREASE),
            _ => usize::MAX,
        };
        Ok(BorrowedAccount {
            tx: self.tx,
            account,
            index_in_transaction: ia.index_in_transaction,
            index_in_instruction: i as u16,
            is_signer: ia.is_signer,
            is_writable: ia.is_writable,
            program_id: frame.program_id,
            max_data_len,
            rent: &self.env.sysvars.rent,
        })
    }

    /// Charge `units` to the meter.
    pub fn consume_checked(&self, units: u64) -> Result<(), InstructionError> {
        self.meter.consume(units)
    }

    /// The compute meter.
    pub fn compute_meter(&self) -> &ComputeMeter {
        &self.meter
    }

    /// The Rent sysvar.
    pub fn rent(&self) -> &'a Rent {
        &self.env.sysvars.rent
    }

    /// The Clock sysvar.
    pub fn clock(&self) -> &'a Clock {
        &self.env.sysvars.clock
    }

    /// The RecentBlockhashes sysvar.
    pub fn recent_blockhashes(&self) -> &'a RecentBlockhashes {
        &self.env.sysvars.recent_blockhashes
    }

    /// Limits and switches of this execution.
    pub fn config(&self) -> &'a ExecutionConfig {
        self.env.config
    }

    /// Whether log lines are being collected; check it before formatting
    /// an expensive message.
    pub fn log_enabled(&self) -> bool {
        self.env.config.collect_logs
    }

    /// Log `Program log: <msg>`.
    pub fn log(&self, msg: impl fmt::Display) {
        if self.log_enabled() {
            self.logs.borrow_mut().push(format!("Program log: {msg}"));
        }
    }

    /// Log a line as it is.
    pub fn log_line(&self, line: impl Into<String>) {
        if self.log_enabled() {
            self.logs.borrow_mut().push(line.into());
        }
    }

    /// Set the transaction's return data for the running program (§6).
    pub fn set_return_data(&self, data: &[u8]) -> Result<(), InstructionError> {
        if data.len() > MAX_RETURN_DATA {
            return Err(InstructionError::ProgramFailedToComplete);
        }
        self.tx.set_return_data(self.program_id(), data.to_vec());
        Ok(())
    }

    /// The return data: the program that set it and the bytes.
    pub fn return_data(&self) -> (Pubkey, Vec<u8>) {
        self.tx.return_data().clone()
    }

    // ----- the instruction stack -----

    /// Run `program_id` as a new frame over `accounts` with input `data`:
    /// push (reentrancy §4.7, the caller's balance §3, trace length and
    /// depth §4.6), run the program catching panics, check the frame's
    /// balance, pop. Shared by top-level instructions and CPIs.
    #[doc(hidden)] // engine only: the processor drives the context
    pub fn process_instruction(
        &self,
        program_id: Pubkey,
        accounts: &[InstructionAccount],
        data: &[u8],
    ) -> Result<(), InstructionError> {
        self.run_frame(program_id, accounts, data, Flavour::Solana, None)
    }

    /// Describe the running program's failure in its `Program … failed: …`
    /// log line, in place of the returned error's text. sBPF programs use it
    /// as Agave does: a VM fault fails with `ProgramFailedToComplete` but is
    /// logged as the fault (`Access violation …`, `SBF program panicked`).
    /// Only the next failing frame's line uses it.
    pub fn set_failure_log(&self, why: String) {
        *self.failure_log.borrow_mut() = Some(why);
    }

    /// Consume every unit left on the meter when the running frame ends,
    /// after its `consumed` line is logged: Agave's loader logs what a
    /// program used, then depletes the meter on a VM fault
    /// (`deplete_cu_meter_on_vm_failure`).
    pub fn deplete_meter_after_log(&self) {
        self.deplete_after_log.set(true);
    }

    /// Set the running frame's exit code: the code its `invoke_auth` caller
    /// receives when the program then returns `Ok` (§8).
    pub fn set_exit_code(&self, code: ExitCode) {
        if let Some(f) = self.stack.borrow_mut().last_mut() {
            f.exit_code = code;
        }
    }

    pub(crate) fn unique_lamport_sum(
        &self,
        start: usize,
        end: usize,
    ) -> Result<u128, InstructionError> {
        // A frame without accounts (a compute-budget instruction, say):
        // nothing to borrow or add, twice per frame.
        if start >= end {
            return Ok(0);
        }
        let arena = self.accounts.borrow();
        let frame = arena.get(start..end).unwrap_or(&[]);
        self.tx.lamport_sum(
            frame
                .iter()
                .enumerate()
                .filter(|(i, a)| a.index_in_callee as usize == *i)
                .map(|(_, a)| a.index_in_transaction as usize),
        )
    }

    fn log_with(&self, line: impl FnOnce() -> String) {
        if self.log_enabled() {
            self.logs.borrow_mut().push(line());
        }
    }

    /// Take the collected log lines.
    #[doc(hidden)] // engine only: the processor drives the context
    pub fn take_logs(&mut self) -> Vec<String> {
        std::mem::take(&mut self.logs.get_mut().lines)
    }

    /// Units used so far.
    pub fn units_consumed(&self) -> u64 {
        self.meter.consumed()
    }
}

/// An instruction of the trace, as [`InvokeContext::processed_sibling`]
/// returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedSibling {
    /// The program it called.
    pub program_id: Pubkey,
    /// Its accounts: key, signer, writable.
    pub accounts: Vec<(Pubkey, bool, bool)>,
    /// Its data.
    pub data: Vec<u8>,
}
