//! Running one frame: push, the program call with panics caught, the
//! frame's balance check, pop.

use std::panic::{catch_unwind, AssertUnwindSafe};

use baton_types::{ids, InstructionError, Pubkey};

use super::program::Program;
use super::{Frame, InstructionAccount, InvokeContext};
use crate::auth::{AuthDescriptor, Flavour, MAX_AUTH_CALL_DEPTH};

impl InvokeContext<'_> {
    /// [`Self::process_instruction`] for a frame of either flavour: the depth
    /// limit is the flavour's (the stack height against `max_call_depth` for
    /// Solana-flavour frames, against [`MAX_AUTH_CALL_DEPTH`] for
    /// `invoke_auth` frames), and `auth` is what the caller authorized (§8).
    pub(crate) fn run_frame(
        &self,
        program_id: Pubkey,
        accounts: &[InstructionAccount],
        data: &[u8],
        flavour: Flavour,
        auth: Option<Box<AuthDescriptor>>,
    ) -> Result<(), InstructionError> {
        let (depth, caller) = {
            let stack = self.stack.borrow();
            if stack.iter().any(|f| f.program_id == program_id)
                && stack.last().map(|f| f.program_id) != Some(program_id)
            {
                return Err(InstructionError::ReentrancyNotAllowed);
            }
            (
                stack.len() + 1,
                stack
                    .last()
                    .map(|c| (c.accounts_start, c.accounts_end, c.lamport_sum)),
            )
        };
        if let Some((start, end, expected)) = caller {
            if self.unique_lamport_sum(start, end)? != expected {
                return Err(InstructionError::UnbalancedInstruction);
            }
        }
        {
            let mut trace = self.trace.borrow_mut();
            if trace.entries.len() >= self.env.config.max_instruction_trace_length {
                return Err(InstructionError::MaxInstructionTraceLengthExceeded);
            }
            if depth == 1 && self.message.is_some() {
                trace.push_top_level(program_id);
            } else {
                trace.push(depth, program_id, accounts, data);
            }
        }
        let max_depth = match flavour {
            Flavour::Solana => self.env.config.max_call_depth,
            Flavour::Auth => MAX_AUTH_CALL_DEPTH,
        };
        if depth > max_depth {
            return Err(InstructionError::CallDepth);
        }
        // Before its `invoke` line, as Agave's `process_executable_chain`:
        // the program account must be owned by the native loader or a BPF
        // loader, and a program must be found for it; else
        // `UnsupportedProgramId`, logged by nobody. (A BPF loader's program
        // that does not load is found, and says so when it runs.)
        // (A transaction's top-level programs had their owners checked as
        // it loaded.)
        let programs = self.env.programs;
        let owner_ok = (depth == 1 && self.message.is_some())
            || self
                .tx
                .find_index(&program_id)
                .and_then(|i| self.tx.account(i))
                .is_some_and(|a| a.owner == ids::NATIVE_LOADER || ids::is_loader(&a.owner));
        let program = match programs.get(&program_id) {
            Some(program) if owner_ok => program,
            _ => return Err(InstructionError::UnsupportedProgramId),
        };
        self.log_with(|| format!("Program {program_id} invoke [{depth}]"));
        let builtin = program.is_builtin();
        let logs_return_data = program.logs_return_data();

        let (start, end) = {
            let mut arena = self.accounts.borrow_mut();
            let start = arena.len();
            arena.extend_from_slice(accounts);
            (start, arena.len())
        };
        let lamport_sum = match self.unique_lamport_sum(start, end) {
            Ok(s) => s,
            Err(e) => {
                self.accounts.borrow_mut().truncate(start);
                return Err(e);
            }
        };
        let start_lens = if builtin {
            Vec::new()
        } else {
            accounts
                .iter()
                .map(|a| {
                    self.tx
                        .account(a.index_in_transaction as usize)
                        .map_or(0, |acc| acc.data.len())
                })
                .collect()
        };
        self.stack.borrow_mut().push(Frame {
            program_id,
            builtin,
            accounts_start: start,
            accounts_end: end,
            lamport_sum,
            start_lens,
            flavour,
            auth,
            exit_code: 0,
        });
        self.tx.set_return_data(program_id, Vec::new());
        let units_at_start = self.meter.remaining();

        let mut result = run_program(program, self, data);
        if let (Ok(()), Some(e)) = (&result, self.cpi_failure.get()) {
            result = Err(e);
        }
        // A revert fails every frame up to the nearest try_invoke (§8, §9).
        if let Some((_, code)) = self.reverted.get() {
            result = Err(InstructionError::Custom(code));
        }
        if result.is_ok() {
            result = self.unique_lamport_sum(start, end).and_then(|s| {
                if s == lamport_sum {
                    Ok(())
                } else {
                    Err(InstructionError::UnbalancedInstruction)
                }
            });
        }

        let exit_code = self.stack.borrow_mut().pop().map_or(0, |f| f.exit_code);
        self.last_exit_code.set(exit_code);
        self.accounts.borrow_mut().truncate(start);
        if !builtin {
            let used = units_at_start.saturating_sub(self.meter.remaining());
            self.log_with(|| {
                format!("Program {program_id} consumed {used} of {units_at_start} compute units")
            });
        }
        if logs_return_data && self.log_enabled() {
            let rd = self.tx.return_data();
            if !rd.1.is_empty() {
                use base64::Engine;
                let data = base64::engine::general_purpose::STANDARD.encode(&rd.1);
                let line = format!("Program return: {program_id} {data}");
                drop(rd);
                self.logs.borrow_mut().push(line);
            }
        }
        if self.deplete_after_log.replace(false) {
            let _ = self.meter.consume(self.meter.remaining());
        }
        match &result {
            Ok(()) if exit_code != 0 => {
                self.log_with(|| format!("Program {program_id} success"));
                self.log_with(|| format!("Program {program_id} exit code {exit_code}"));
            }
            Ok(()) => self.log_with(|| format!("Program {program_id} success")),
            Err(e) => {
                let why = self.failure_log.take();
                self.log_with(|| match why {
                    Some(why) => format!("Program {program_id} failed: {why}"),
                    None => format!("Program {program_id} failed: {e}"),
                })
            }
        }
        result
    }
}

/// Call the program, turning a panic into `ProgramFailedToComplete`.
fn run_program(
    program: &dyn Program,
    ctx: &InvokeContext<'_>,
    data: &[u8],
) -> Result<(), InstructionError> {
    // Unwind safety: after a panic the transaction fails, and its accounts
    // are restored from the journal, so no half-written state escapes.
    match catch_unwind(AssertUnwindSafe(|| program.process(ctx, data))) {
        Ok(r) => r,
        Err(_) => Err(InstructionError::ProgramFailedToComplete),
    }
}
