//! The explicit-authorization invoke of semantics.md §8 (after the Thru C
//! SDK's `tsys_invoke`), exit codes and reverts, and the catchable invokes of
//! §9 for both flavours.
//!
//! # `invoke_auth`
//!
//! [`InvokeContext::invoke_auth`] calls the program at a **transaction**
//! index with some data and an optional [`AuthDescriptor`]. The callee sees
//! every account of the transaction at its transaction index, with its
//! top-level privileges §1.1 (writable and signer as the message makes
//! them). What it may change is what §2 allows (writable in the transaction,
//! owned by the running program); what it may *act for* is what
//! [`InvokeContext::is_authorized`] answers, the consent check a program
//! makes before acting for an account it does not own (as a Solana program
//! checks `is_signer`).
//!
//! Two channels come back, kept apart: `Err(`[`InvokeError`]`)` when the call
//! could not be made (the checks below) or the callee failed, and
//! `Ok(`[`ExitCode`]`)` after the callee exited normally — 0 by default, or
//! the code it set with [`InvokeContext::set_exit_code`]. A non-zero code is
//! not a failure: the caller continues and decides.
//!
//! Checks before the call, in this order, each with its own error (the call
//! is not made, nothing changed, the caller may go on): a descriptor over
//! [`MAX_AUTH_ENTRIES`](crate::auth::MAX_AUTH_ENTRIES) entries or an encoded one that does not decode
//! ([`InvokeError::MalformedDescriptor`]); the program index or an entry past
//! the transaction's accounts ([`InvokeError::IndexOutOfRange`]); an
//! authorized account the running program does not own
//! ([`InvokeError::NotOwner`]); a callee that is not a registered program
//! ([`InvokeError::NotAProgram`]); a stack over [`MAX_AUTH_CALL_DEPTH`]
//! frames ([`InvokeError::CallDepth`]). The call is charged like a CPI
//! (§4.8) before the checks: [`INVOKE_UNITS`] plus a unit per
//! [`CPI_BYTES_PER_UNIT`] bytes of data and descriptor.
//!
//! A callee that fails (an error, a panic, compute exhaustion, a revert)
//! gives [`InvokeError::Failed`]; as with `invoke` (§4.10) that cannot be
//! caught: the caller's instruction fails with the callee's error even if
//! the caller ignores it.
//!
//! # Depth when flavours mix
//!
//! Each push checks the stack height (top level = 1) against the limit of
//! the flavour being pushed: `invoke` and top-level instructions against
//! `ExecutionConfig::max_call_depth` (5), `invoke_auth` against
//! [`MAX_AUTH_CALL_DEPTH`] (16). So an `invoke_auth` chain may reach height
//! 16, but a Solana-flavour `invoke` made from height 5 or more fails with
//! `CallDepth` whatever flavour the frames below it have. The trace limit
//! (64 instructions) counts both.
//!
//! # Revert
//!
//! [`InvokeContext::revert`] records the running program and a code and
//! returns `Custom(code)`. From then on every frame, up to the nearest
//! `try_invoke`, fails with `Custom(code)` whatever it returns, so a revert
//! at any depth fails the transaction with `InstructionError(i,
//! Custom(code))`, and [`InvokeContext::reverted_by`] names the program (the
//! transaction outcome carries it as `reverted_by`). A `try_invoke` on the
//! way up catches it like any other failure (§9).
//!
//! # `try_invoke`
//!
//! [`InvokeContext::try_invoke`], [`InvokeContext::try_invoke_signed`] and
//! [`InvokeContext::try_invoke_auth`] run the call under a journal
//! checkpoint. If it fails — a check, an error, a revert, a panic, compute
//! exhaustion — the checkpoint is reverted (lamports, data, owner,
//! executable, the transaction's resize delta and the return-data slot, of
//! the callee and everything it called), the units stay spent, and the
//! caller gets the error and goes on: the failure does not fail the caller
//! (§4.10), nor does a revert inside it. On success the checkpoint merges
//! into the caller's. The balance of the caller's accounts (§3) is that of
//! the checkpoint after a failure, so it still holds. After compute
//! exhaustion the meter stays empty and the caller's next charge fails.

use baton_types::{Instruction, InstructionError, Pubkey};

use crate::auth::{
    authorized_by_callers, AuthDescriptor, ExitCode, Flavour, InvokeError, MAX_AUTH_CALL_DEPTH,
};
use crate::invoke_context::{InstructionAccount, InvokeContext, CPI_BYTES_PER_UNIT, INVOKE_UNITS};

impl InvokeContext<'_> {
    /// Call the program at transaction index `program_index` with `data`,
    /// authorizing and deauthorizing accounts with `auth` (§8): `Ok(code)`
    /// after a normal exit; `Err` when the call could not be made (checks,
    /// in order: descriptor, index range, ownership of authorized accounts,
    /// callee a program, depth) or the callee failed, which fails the
    /// caller's instruction as §4.10 does. The callee sees every
    /// transaction account at its transaction index with its top-level
    /// privileges. `docs/invoke-flavours.md` has the rules and examples.
    pub fn invoke_auth(
        &self,
        program_index: u16,
        data: &[u8],
        auth: Option<&AuthDescriptor>,
    ) -> Result<ExitCode, InvokeError> {
        let result = self.call_auth(program_index, data, auth);
        if let Err(InvokeError::Failed(e)) = result {
            if self.cpi_failure.get().is_none() {
                self.cpi_failure.set(Some(e));
            }
        }
        result
    }

    /// [`Self::invoke_auth`] with the descriptor in its encoded form
    /// ([`AuthDescriptor::decode`]; empty bytes for none).
    pub fn invoke_auth_encoded(
        &self,
        program_index: u16,
        data: &[u8],
        auth: &[u8],
    ) -> Result<ExitCode, InvokeError> {
        let auth = AuthDescriptor::decode(auth)?;
        self.invoke_auth(program_index, data, auth.as_ref())
    }

    /// [`Self::invoke_auth`], catchable (§9): on any failure the callee's
    /// changes and those of its callees are undone and the error is returned
    /// to the caller, which goes on.
    pub fn try_invoke_auth(
        &self,
        program_index: u16,
        data: &[u8],
        auth: Option<&AuthDescriptor>,
    ) -> Result<ExitCode, InvokeError> {
        self.catching(|| self.call_auth(program_index, data, auth))
    }

    /// [`Self::invoke`], catchable (§9).
    pub fn try_invoke(&self, instruction: &Instruction) -> Result<(), InstructionError> {
        self.try_invoke_signed(instruction, &[])
    }

    /// [`Self::invoke_signed`], catchable (§9): on any failure (the checks of
    /// §4 included) the callee's changes and those of its callees are undone
    /// and the error is returned to the caller, which goes on.
    pub fn try_invoke_signed(
        &self,
        instruction: &Instruction,
        signers_seeds: &[&[&[u8]]],
    ) -> Result<(), InstructionError> {
        self.catching(|| self.call_signed(instruction, signers_seeds))
    }

    /// Whether the account at transaction index `index` is authorized in
    /// the running frame (§8): the fee payer and the running program always;
    /// at depth 1 nothing else; deeper, what the callers' walk decides (see
    /// `authorized_by_callers`). Ownership is read as it is now; an index
    /// past the transaction's accounts is not authorized.
    pub fn is_authorized(&self, index: u16) -> bool {
        let i = index as usize;
        let Some(key) = self.tx.key(i) else {
            return false;
        };
        if i == 0 {
            return true;
        }
        let stack = self.stack.borrow();
        let Some(current) = stack.last() else {
            return false;
        };
        if *key == current.program_id {
            return true;
        }
        let owner = self.tx.account(i).map(|a| a.owner);
        let callers = (1..stack.len())
            .rev()
            .map(|k| (stack[k - 1].program_id, stack[k].auth.as_deref()));
        authorized_by_callers(callers, index, key, owner)
    }

    /// How the running frame was called.
    pub fn flavour(&self) -> Flavour {
        self.stack
            .borrow()
            .last()
            .map_or(Flavour::Solana, |f| f.flavour)
    }

    /// Revert: fail the running frame and every frame above it, up to the
    /// nearest `try_invoke`, with `Custom(code)`, naming the running program
    /// as the one that reverted (§8). Return the error it gives:
    /// `return Err(ctx.revert(code))`.
    pub fn revert(&self, code: u32) -> InstructionError {
        if self.reverted.get().is_none() {
            self.reverted.set(Some((self.program_id(), code)));
        }
        InstructionError::Custom(code)
    }

    /// The program that reverted and its code, while an uncaught revert is
    /// unwinding or after it failed the transaction.
    pub fn reverted_by(&self) -> Option<(Pubkey, u32)> {
        self.reverted.get()
    }

    /// The checks, charge and call of `invoke_auth`, without the §4.10
    /// bookkeeping.
    fn call_auth(
        &self,
        program_index: u16,
        data: &[u8],
        auth: Option<&AuthDescriptor>,
    ) -> Result<ExitCode, InvokeError> {
        let entries = auth.map_or(0, AuthDescriptor::len);
        let bytes = data.len() as u64 + 2 * entries as u64;
        self.consume_checked(INVOKE_UNITS + bytes / CPI_BYTES_PER_UNIT)
            .map_err(InvokeError::Failed)?;

        if let Some(d) = auth {
            d.validate()?;
        }
        let n = self.tx.len();
        let in_range = |index: u16| {
            if (index as usize) < n {
                Ok(())
            } else {
                Err(InvokeError::IndexOutOfRange { index })
            }
        };
        in_range(program_index)?;
        if let Some(d) = auth {
            for &index in d.authorized.iter().chain(&d.deauthorized) {
                in_range(index)?;
            }
            let caller = self.program_id();
            for &index in &d.authorized {
                let owner = self
                    .tx
                    .account(index as usize)
                    .map(|a| a.owner)
                    .ok_or(InvokeError::Failed(InstructionError::AccountBorrowFailed))?;
                if owner != caller {
                    return Err(InvokeError::NotOwner { index });
                }
            }
        }
        let program_id =
            *self
                .tx
                .key(program_index as usize)
                .ok_or(InvokeError::IndexOutOfRange {
                    index: program_index,
                })?;
        if !self.env.programs.contains(&program_id) {
            return Err(InvokeError::NotAProgram {
                index: program_index,
            });
        }
        if self.stack_height() + 1 > MAX_AUTH_CALL_DEPTH {
            return Err(InvokeError::CallDepth);
        }

        let accounts: Vec<InstructionAccount> = (0..n)
            .map(|i| {
                let (is_signer, is_writable) = self.top_level_privileges(i);
                InstructionAccount {
                    index_in_transaction: i as u16,
                    index_in_callee: i as u16,
                    is_signer,
                    is_writable,
                }
            })
            .collect();
        let cp = self.tx.checkpoint();
        let r = self.run_frame(
            program_id,
            &accounts,
            data,
            Flavour::Auth,
            auth.map(|d| Box::new(d.clone())),
        );
        match r {
            Ok(()) => {
                self.tx.checkpoint_commit(cp);
                Ok(self.last_exit_code.get())
            }
            Err(e) => {
                self.tx.checkpoint_revert(cp);
                Err(InvokeError::Failed(e))
            }
        }
    }

    /// Signer and writable of transaction account `i` at the top level: from
    /// the message when there is one, else from the outermost instruction's
    /// accounts (neither for an account it lacks).
    fn top_level_privileges(&self, i: usize) -> (bool, bool) {
        if let Some(m) = self.message {
            return (m.is_signer(i), m.is_writable(i));
        }
        let stack = self.stack.borrow();
        let Some(outer) = stack.first() else {
            return (false, false);
        };
        let (start, end) = (outer.accounts_start, outer.accounts_end);
        drop(stack);
        self.accounts
            .borrow()
            .get(start..end)
            .and_then(|a| a.iter().find(|a| a.index_in_transaction as usize == i))
            .map_or((false, false), |a| (a.is_signer, a.is_writable))
    }

    /// Run `call` under a journal checkpoint; on failure revert it (all but
    /// the return data) and forget the failure and any revert inside it (§9).
    fn catching<T, E>(&self, call: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let failure = self.cpi_failure.take();
        let reverted = self.reverted.take();
        let failure_log = self.failure_log.take();
        let cp = self.tx.checkpoint();
        let r = call();
        match &r {
            Ok(_) => self.tx.checkpoint_commit(cp),
            // The return data survives, as with a failed plain CPI (§9).
            Err(_) => self.revert_keeping_return_data(cp),
        }
        self.cpi_failure.set(failure);
        self.reverted.set(reverted);
        // A caught CPI error's failure line (§4.0, §4.5) is not the caller's.
        *self.failure_log.borrow_mut() = failure_log;
        r
    }
}
